using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.FakeUpstream;
using Switchboard.Hosting;

namespace Switchboard.EndToEnd.Pools;

/// <summary>
/// One real Switchboard in front of several <see cref="FakeModelServer"/> replicas (upstreams <c>r0</c>, <c>r1</c>, …)
/// serving <c>fake-model</c> as one pool, with the admin API on, a raw client and the captured log.
/// </summary>
internal sealed class PoolHost : IAsyncDisposable
{
    public const string ApiKey = "sk-switchboard-test";
    public const string AdminToken = "admin-token-for-pool-tests";
    public const string Model = "fake-model";

    private PoolHost(List<FakeModelServer> replicas, WebApplication app, CapturedLogs logs)
    {
        Replicas = replicas;
        App = app;
        Logs = logs;
        BaseUrl = app.Urls.First().TrimEnd('/');
        Http = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(60) };
        Http.DefaultRequestHeaders.Add("x-api-key", ApiKey);
        Http.DefaultRequestHeaders.Add("anthropic-version", "2023-06-01");
    }

    public IReadOnlyList<FakeModelServer> Replicas { get; }

    public WebApplication App { get; }

    public CapturedLogs Logs { get; }

    public string BaseUrl { get; }

    public HttpClient Http { get; }

    /// <param name="priorities">One per replica (default 0 for all).</param>
    /// <param name="args">More configuration, e.g. <c>--Switchboard:Pools:MaxAttempts=1</c>.</param>
    public static async Task<PoolHost> StartAsync(int replicas, int[]? priorities = null, IEnumerable<string>? args = null, FakeServerOptions? replicaOptions = null)
    {
        var servers = new List<FakeModelServer>();
        for (var i = 0; i < replicas; i++)
        {
            servers.Add(await FakeModelServer.StartAsync(Clone(replicaOptions)));
        }

        List<string> all = ["--api-key", ApiKey, "--port", "0", "--host", "127.0.0.1", "--admin-token", AdminToken,
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Switchboard=Information", TestDataRoot.FreshDirectoryArg(),
            $"--Switchboard:Models:0:Name={Model}"];
        for (var i = 0; i < replicas; i++)
        {
            all.Add($"--Switchboard:Upstreams:r{i}:BaseUrl={servers[i].BaseUrl}");
            all.Add($"--Switchboard:Models:0:Targets:{i}:Upstream=r{i}");
            if (priorities is not null)
            {
                all.Add($"--Switchboard:Models:0:Targets:{i}:Priority={priorities[i].ToString(CultureInfo.InvariantCulture)}");
            }
        }

        all.AddRange(args ?? []);
        var logs = new CapturedLogs();
        var app = SwitchboardApp.Create([.. all], builder => builder.Services.AddSingleton<ILoggerProvider>(logs));
        await app.StartAsync();
        return new PoolHost(servers, app, logs);
    }

    /// <summary>Which replica received requests whose prompt contains <paramref name="marker"/>, by index.</summary>
    public List<int> ReplicasThatSaw(string marker) =>
        [.. Enumerable.Range(0, Replicas.Count).Where(i => Replicas[i].Requests.Any(r => r.Body.GetRawText().Contains(marker, StringComparison.Ordinal)))];

    /// <summary><c>GET /admin/v1/upstreams</c>: state by upstream name.</summary>
    public async Task<Dictionary<string, JsonElement>> UpstreamsAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/v1/upstreams");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        using var response = await Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("data").EnumerateArray()
            .ToDictionary(e => e.GetProperty("name").GetString()!, e => e.Clone());
    }

    public async Task<string> StateAsync(string upstream) => (await UpstreamsAsync())[upstream].GetProperty("state").GetString()!;

    public static string Body(string text, bool stream = false, string model = Model) =>
        JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["model"] = model,
            ["max_tokens"] = 64,
            ["stream"] = stream,
            ["messages"] = new[] { new Dictionary<string, string> { ["role"] = "user", ["content"] = text } },
        });

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        foreach (var replica in Replicas)
        {
            await replica.DisposeAsync();
        }
    }

    private static FakeServerOptions Clone(FakeServerOptions? options) => options is null
        ? new FakeServerOptions()
        : new FakeServerOptions { DefaultReply = options.DefaultReply, Models = options.Models, Tokenizer = options.Tokenizer, ApiKey = options.ApiKey, MessagesAuth = options.MessagesAuth };
}
