using System.Text.Json;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.FakeUpstream;

namespace Switchboard.EndToEnd.ServerTools;

/// <summary>
/// A Switchboard with web search configured against a fake search backend (a second fake server's
/// <c>/search/{provider}</c> routes, in the provider's own shape), in front of the usual fake model server.
/// </summary>
internal sealed class WebSearchHost : IAsyncDisposable
{
    private WebSearchHost(SwitchboardHost host, FakeModelServer backend)
    {
        Host = host;
        Backend = backend;
    }

    public SwitchboardHost Host { get; }

    public FakeModelServer Backend { get; }

    public FakeModelServer Upstream => Host.Upstream;

    public HttpClient Http => Host.Http;

    public static async Task<WebSearchHost> StartAsync(string provider = "searxng", params string[] args)
    {
        var backend = await FakeModelServer.StartAsync();
        try
        {
            List<string> all = [$"--Switchboard:WebSearch:Provider={provider}", $"--Switchboard:WebSearch:Url={backend.SearchUrl(provider)}", .. args];
            if (provider != "searxng")
            {
                all.Add($"--Switchboard:WebSearch:ApiKey={provider}-test-key");
            }

            return new WebSearchHost(await SwitchboardHost.StartAsync(args: all), backend);
        }
        catch
        {
            await backend.DisposeAsync();
            throw;
        }
    }

    /// <summary>A request for the quickstart model with the web search tool (<paramref name="tool"/>: extra fields of the tool).</summary>
    public static string Body(string question, bool stream = false, string tool = "", string messages = "")
    {
        var extra = tool.Length == 0 ? "" : "," + tool;
        var conversation = messages.Length == 0 ? $$"""[{"role":"user","content":{{JsonSerializer.Serialize(question)}}}]""" : messages;
        return $$"""
            {"model":"fake-model","max_tokens":256,"stream":{{(stream ? "true" : "false")}},
             "tools":[{"type":"web_search_20250305","name":"web_search"{{extra}}}],
             "messages":{{conversation}}}
            """;
    }

    /// <summary>The model calls <c>web_search</c> with <paramref name="query"/> (after <paramref name="preamble"/>).</summary>
    public static ScriptedReply Search(string query, string? preamble = null) => new()
    {
        Content = preamble,
        ToolCalls = [new ScriptedToolCall { Name = "web_search", Arguments = JsonSerializer.Serialize(new { query }) }],
    };

    public async Task<JsonElement> PostAsync(string body)
    {
        using var response = await Http.PostAsync("/v1/messages", RawRequests.Json(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Backend.DisposeAsync();
    }
}
