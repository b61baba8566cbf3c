using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Switchboard.FakeUpstream;
using Switchboard.Hosting;

namespace Switchboard.EndToEnd.Tenancy;

/// <summary>
/// A real Switchboard on a loopback port with stored keys: no configured API keys, the given store, an admin token
/// and a short key cache; in front of a fake model server serving <c>fake-model</c> (and any name, by alias).
/// </summary>
public sealed class TenantHost : IAsyncDisposable
{
    public const string AdminToken = "admin-token-for-tests";

    public const string Model = "fake-model";

    private TenantHost(FakeModelServer upstream, WebApplication app, string baseUrl)
    {
        Upstream = upstream;
        App = app;
        BaseUrl = baseUrl;
        Admin = new HttpClient { BaseAddress = new Uri(baseUrl) };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
    }

    public FakeModelServer Upstream { get; }

    public WebApplication App { get; }

    public string BaseUrl { get; }

    /// <summary>A client sending the admin token.</summary>
    public HttpClient Admin { get; }

    public static async Task<TenantHost> StartAsync(KeyStorage storage, double cacheSeconds = 0.5, bool admin = true, params string[] args)
    {
        var upstream = await FakeModelServer.StartAsync(new FakeServerOptions());
        List<string> all = ["--upstream", upstream.BaseUrl, "--model", Model, "--port", "0", .. storage.Args,
            $"--Switchboard:Tenancy:KeyCacheSeconds={cacheSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Switchboard=Error", .. args];
        if (admin)
        {
            all.AddRange(["--admin-token", AdminToken]);
        }

        var app = SwitchboardApp.Create([.. all]);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await upstream.DisposeAsync();
            throw;
        }

        return new TenantHost(upstream, app, app.Urls.First().TrimEnd('/').Replace("//0.0.0.0:", "//127.0.0.1:", StringComparison.Ordinal));
    }

    /// <summary>Creates a key through the admin API; returns the whole response body (with <c>key</c>).</summary>
    public async Task<JsonElement> CreateKeyAsync(string json)
    {
        using var response = await Admin.PostAsync("/admin/v1/keys", new StringContent(json, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>A client presenting <paramref name="key"/> as x-api-key, or as a bearer token.</summary>
    public HttpClient Client(string? key, bool bearer = false)
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        client.DefaultRequestHeaders.Add("anthropic-version", "2023-06-01");
        if (key is not null)
        {
            if (bearer)
            {
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            }
            else
            {
                client.DefaultRequestHeaders.Add("x-api-key", key);
            }
        }

        return client;
    }

    /// <summary>POSTs a small message request; returns the status and the body.</summary>
    public static async Task<(int Status, JsonElement Body)> AskAsync(HttpClient client, string model = Model, string path = "/v1/messages")
    {
        var json = path == "/v1/chat/completions"
            ? $$"""{"model":"{{model}}","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}"""
            : $$"""{"model":"{{model}}","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}""";
        using var response = await client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    public static async Task<(int Status, JsonElement Body)> SendAsync(HttpClient client, HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}
