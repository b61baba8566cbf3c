using Anthropic;
using Anthropic.Core;
using Microsoft.AspNetCore.Builder;
using Switchboard.FakeUpstream;
using Switchboard.Hosting;

namespace Switchboard.EndToEnd.Fixtures;

/// <summary>
/// One real Switchboard (Kestrel on a loopback port) in front of one <see cref="FakeModelServer"/>, with the
/// official Anthropic SDK and a raw <see cref="HttpClient"/> pointed at it. One per test: cheap and isolated.
/// </summary>
public sealed class SwitchboardHost : IAsyncDisposable
{
    public const string ApiKey = "sk-switchboard-test";

    /// <summary>The quickstart model: public name and upstream name alike.</summary>
    public const string Model = "fake-model";

    private SwitchboardHost(FakeModelServer upstream, WebApplication app, string baseUrl)
    {
        Upstream = upstream;
        App = app;
        BaseUrl = baseUrl;
        Client = CreateClient(ApiKey);
        Http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(60) };
        Http.DefaultRequestHeaders.Add("x-api-key", ApiKey);
        Http.DefaultRequestHeaders.Add("anthropic-version", "2023-06-01");
    }

    public FakeModelServer Upstream { get; }

    public WebApplication App { get; }

    /// <summary><c>http://127.0.0.1:PORT</c>, the Anthropic base URL clients use.</summary>
    public string BaseUrl { get; }

    /// <summary>SDK client with retries off, so tests observe each error as it is.</summary>
    public AnthropicClient Client { get; }

    /// <summary>Raw client that sends the key as <c>x-api-key</c>.</summary>
    public HttpClient Http { get; }

    /// <summary>
    /// Starts a fake upstream and a Switchboard with <c>--upstream {fake} --api-key {ApiKey} --port 0</c>, plus
    /// <c>--model fake-model</c> unless <paramref name="quickstartModel"/> is false, plus <paramref name="args"/>.
    /// </summary>
    public static async Task<SwitchboardHost> StartAsync(
        FakeServerOptions? upstream = null, IEnumerable<string>? args = null, bool quickstartModel = true, string? upstreamUrl = null,
        Action<WebApplicationBuilder>? configure = null)
    {
        upstream ??= new FakeServerOptions();
        if (quickstartModel && upstream.Models is ["fake-model"])
        {
            upstream.RejectUnknownModels = true;
        }

        var fake = await FakeModelServer.StartAsync(upstream);
        List<string> all = ["--upstream", upstreamUrl ?? fake.BaseUrl, "--api-key", ApiKey, "--port", "0", "--host", "127.0.0.1",
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Switchboard=Warning", TestDataRoot.FreshDirectoryArg()];
        if (quickstartModel)
        {
            all.AddRange(["--model", Model]);
        }

        all.AddRange(args ?? []);
        var app = SwitchboardApp.Create([.. all], configure);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await fake.DisposeAsync();
            throw;
        }

        return new SwitchboardHost(fake, app, app.Urls.First().TrimEnd('/'));
    }

    public AnthropicClient CreateClient(string apiKey) => new(new ClientOptions
    {
        BaseUrl = BaseUrl,
        ApiKey = apiKey,
        MaxRetries = 0,
        Timeout = TimeSpan.FromSeconds(60),
    });

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}
