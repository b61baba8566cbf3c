using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.FakeUpstream;
using Switchboard.Hosting;
using Switchboard.Testing;

namespace Switchboard.EndToEnd.Reload;

/// <summary>
/// A real Switchboard started with <c>--config</c> on a real file in a directory of its own, fake model servers to
/// point it at, and helpers to rewrite the file the way editors do.
/// </summary>
internal sealed class ReloadHost : IAsyncDisposable
{
    public const string ApiKey = "sk-switchboard-reload-test";
    public const string AdminToken = "admin-token-for-reload-tests";

    private ReloadHost(string directory, List<FakeModelServer> servers, WebApplication app, CapturedLogs logs)
    {
        Directory = directory;
        Servers = servers;
        App = app;
        Logs = logs;
        Http = new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromSeconds(60) };
        Http.DefaultRequestHeaders.Add("x-api-key", ApiKey);
        Http.DefaultRequestHeaders.Add("anthropic-version", "2023-06-01");
    }

    public string Directory { get; }

    public string ConfigPath => Path.Combine(Directory, "switchboard.json");

    public IReadOnlyList<FakeModelServer> Servers { get; }

    public WebApplication App { get; }

    public CapturedLogs Logs { get; }

    public HttpClient Http { get; }

    /// <param name="servers">Fake model servers to start (named s0, s1, … in <see cref="Config"/>).</param>
    /// <param name="config">The file's first contents.</param>
    /// <param name="args">More flags or settings.</param>
    public static async Task<ReloadHost> StartAsync(int servers, Func<IReadOnlyList<FakeModelServer>, string> config, IEnumerable<string>? args = null)
    {
        var started = new List<FakeModelServer>();
        for (var i = 0; i < servers; i++)
        {
            started.Add(await FakeModelServer.StartAsync());
        }

        var directory = System.IO.Directory.CreateTempSubdirectory("switchboard-reload-").FullName;
        await File.WriteAllTextAsync(Path.Combine(directory, "switchboard.json"), config(started));
        var logs = new CapturedLogs();
        var app = SwitchboardApp.Create(
            ["--config", Path.Combine(directory, "switchboard.json"), "--api-key", ApiKey, "--port", "0", "--host", "127.0.0.1",
                "--admin-token", AdminToken, "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Switchboard=Information",
                TestDataRoot.FreshDirectoryArg(), .. args ?? []],
            builder => builder.Services.AddSingleton<ILoggerProvider>(logs));
        await app.StartAsync();
        return new ReloadHost(directory, started, app, logs);
    }

    /// <summary>
    /// A configuration file: upstreams by name (s0 → the first server …), models as (name, upstream or targets).
    /// </summary>
    public static string Config(IReadOnlyList<FakeModelServer> servers, IEnumerable<string> upstreams, IEnumerable<(string Name, string[] Targets)> models,
        Action<JsonObject>? more = null)
    {
        var upstreamObject = new JsonObject();
        foreach (var name in upstreams)
        {
            upstreamObject[name] = new JsonObject { ["BaseUrl"] = servers[int.Parse(name[1..], System.Globalization.CultureInfo.InvariantCulture)].BaseUrl };
        }

        var modelArray = new JsonArray();
        foreach (var (name, targets) in models)
        {
            modelArray.Add(targets.Length == 1
                ? new JsonObject { ["Name"] = name, ["Upstream"] = targets[0] }
                : new JsonObject { ["Name"] = name, ["Targets"] = new JsonArray([.. targets.Select(t => (JsonNode)new JsonObject { ["Upstream"] = t })]) });
        }

        var section = new JsonObject { ["Upstreams"] = upstreamObject, ["Models"] = modelArray };
        more?.Invoke(section);
        return new JsonObject { ["Switchboard"] = section }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>Replaces the file the way most editors save: a new file renamed over the old one.</summary>
    public async Task ReplaceAsync(string contents)
    {
        var temporary = Path.Combine(Directory, ".switchboard.json.swp");
        await File.WriteAllTextAsync(temporary, contents);
        File.Move(temporary, ConfigPath, overwrite: true);
    }

    /// <summary>Rewrites the file in place (truncate and write), as <c>echo … &gt; file</c> does.</summary>
    public Task RewriteAsync(string contents) => File.WriteAllTextAsync(ConfigPath, contents);

    public static string Body(string model, string text, bool stream = false) =>
        JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["model"] = model,
            ["max_tokens"] = 64,
            ["stream"] = stream,
            ["messages"] = new[] { new Dictionary<string, string> { ["role"] = "user", ["content"] = text } },
        });

    public async Task<(System.Net.HttpStatusCode Status, string Body)> AskAsync(string model, string text)
    {
        using var response = await Http.PostAsync("/v1/messages", RawRequests.Json(Body(model, text)));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Which servers received a chat request whose prompt contains <paramref name="marker"/>, by index.</summary>
    public List<int> ServersThatSaw(string marker) =>
        [.. Enumerable.Range(0, Servers.Count).Where(i => Servers[i].Requests.Any(r => r.Body.GetRawText().Contains(marker, StringComparison.Ordinal)))];

    /// <summary><c>GET /admin/v1/config</c>.</summary>
    public async Task<JsonElement> ConfigStatusAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/v1/config");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        using var response = await Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    /// <summary><c>GET /admin/v1/upstreams</c>: each listed upstream's state, in order.</summary>
    public async Task<List<(string Name, string State)>> UpstreamsAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/v1/upstreams");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        using var response = await Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. document.RootElement.GetProperty("data").EnumerateArray()
            .Select(e => (e.GetProperty("name").GetString()!, e.GetProperty("state").GetString()!))];
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"condition not met within {limit.TotalSeconds} s");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        foreach (var server in Servers)
        {
            await server.DisposeAsync();
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
