using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Anthropic;
using Anthropic.Core;
using Microsoft.AspNetCore.Builder;
using Switchboard.EndToEnd.Tenancy;
using Switchboard.FakeUpstream;
using Switchboard.Hosting;

namespace Switchboard.EndToEnd.Batches;

/// <summary>
/// A real Switchboard on a loopback port in front of a fake model server that outlives it (so a test can stop one
/// Switchboard and start another on the same store, as a restart does), with an admin token for stored keys.
/// </summary>
public sealed class BatchHost : IAsyncDisposable
{
    public const string AdminToken = "admin-token-for-batch-tests";

    public const string Model = "fake-model";

    private BatchHost(WebApplication app, string baseUrl)
    {
        App = app;
        BaseUrl = baseUrl;
    }

    public WebApplication App { get; }

    public string BaseUrl { get; }

    public static async Task<BatchHost> StartAsync(KeyStorage storage, FakeModelServer upstream, params string[] args)
    {
        List<string> all = ["--upstream", upstream.BaseUrl, "--model", Model, "--port", "0", .. storage.Args, "--admin-token", AdminToken,
            "--Switchboard:Tenancy:KeyCacheSeconds=0.5", "--Switchboard:Batches:PollSeconds=0.1",
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Switchboard=Error", .. args];
        var app = SwitchboardApp.Create([.. all]);
        await app.StartAsync();
        return new BatchHost(app, app.Urls.First().TrimEnd('/'));
    }

    /// <summary>Creates a stored key through the admin API; returns its id and the key.</summary>
    public async Task<(string Id, string Key)> CreateKeyAsync(string json)
    {
        using var admin = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        using var response = await admin.PostAsync("/admin/v1/keys", new StringContent(json, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, body);
        var root = JsonDocument.Parse(body).RootElement;
        return (root.GetProperty("id").GetString()!, root.GetProperty("key").GetString()!);
    }

    public AnthropicClient Sdk(string key) =>
        new(new ClientOptions { BaseUrl = BaseUrl, ApiKey = key, MaxRetries = 0, Timeout = TimeSpan.FromSeconds(30) });

    public HttpClient Http(string? key)
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("anthropic-version", "2023-06-01");
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("x-api-key", key);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
