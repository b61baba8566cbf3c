using System.Text.Json;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.FakeUpstream;

namespace Switchboard.EndToEnd.ServerTools;

/// <summary>
/// The web fetch tool run by Switchboard: the model calls the offered <c>web_fetch</c> function with a URL from the
/// conversation, Switchboard fetches it under the outbound rules (a fake web server on loopback, allow-listed), the
/// client sees <c>server_tool_use</c> and <c>web_fetch_tool_result</c> blocks and the model reads the page's text.
/// </summary>
public sealed class WebFetchTests
{
    private static ScriptedReply Fetch(string url) => new()
    {
        ToolCalls = [new ScriptedToolCall { Name = "web_fetch", Arguments = JsonSerializer.Serialize(new { url }) }],
    };

    private static string Body(string question, string tool = "", bool stream = false) => $$"""
        {"model":"fake-model","max_tokens":256,"stream":{{(stream ? "true" : "false")}},
         "tools":[{"type":"web_fetch_20250910","name":"web_fetch"{{(tool.Length == 0 ? "" : "," + tool)}}}],
         "messages":[{"role":"user","content":{{JsonSerializer.Serialize(question)}}}]}
        """;

    private static Task<WebSearchHost> StartAsync(bool allowLoopback = true) =>
        WebSearchHost.StartAsync("searxng", allowLoopback ? ["--Switchboard:WebFetch:AllowedPrivateNetworks:0=127.0.0.0/8"] : []);

    [Fact]
    public async Task A_page_named_in_the_conversation_is_fetched_read_as_text_and_shown_as_a_document()
    {
        await using var host = await StartAsync();
        var url = host.Backend.RootUrl + "/pages/widgets";
        host.Upstream.Enqueue(Fetch(url), ScriptedReply.Text("The page says 42."));

        var message = await host.PostAsync(Body($"Read {url} and tell me the answer."));

        var content = message.GetProperty("content").EnumerateArray().ToArray();
        Assert.Equal(["server_tool_use", "web_fetch_tool_result", "text"], content.Select(b => b.GetProperty("type").GetString()));
        Assert.Equal("web_fetch", content[0].GetProperty("name").GetString());
        Assert.Equal(url, content[0].GetProperty("input").GetProperty("url").GetString());
        var result = content[1].GetProperty("content");
        Assert.Equal("web_fetch_result", result.GetProperty("type").GetString());
        Assert.Equal(url, result.GetProperty("url").GetString());
        Assert.True(DateTimeOffset.TryParse(result.GetProperty("retrieved_at").GetString(), out _));
        var document = result.GetProperty("content");
        Assert.Equal("document", document.GetProperty("type").GetString());
        Assert.Equal("Widgets page", document.GetProperty("title").GetString());
        Assert.Equal("text", document.GetProperty("source").GetProperty("type").GetString());
        var text = document.GetProperty("source").GetProperty("data").GetString()!;
        Assert.Contains("The widget answer is 42.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("var secret", text, StringComparison.Ordinal);
        Assert.Equal(1, message.GetProperty("usage").GetProperty("server_tool_use").GetProperty("web_fetch_requests").GetInt32());
        Assert.Equal(0, message.GetProperty("usage").GetProperty("server_tool_use").GetProperty("web_search_requests").GetInt32());

        var read = UpstreamBody.Text(UpstreamBody.Messages(host.Upstream.Requests[1].Body)[^1]);
        Assert.Contains("The widget answer is 42.", read, StringComparison.Ordinal);
        Assert.Equal(["web_fetch"], host.Upstream.Requests[0].Body.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("function").GetProperty("name").GetString()));
    }

    [Fact]
    public async Task A_url_the_conversation_never_named_is_not_fetched()
    {
        await using var host = await StartAsync();
        host.Upstream.Enqueue(Fetch(host.Backend.RootUrl + "/pages/widgets"), ScriptedReply.Text("I cannot read it."));

        var message = await host.PostAsync(Body("Read the widgets page on the intranet."));

        var result = message.GetProperty("content")[1].GetProperty("content");
        Assert.Equal("web_fetch_tool_result_error", result.GetProperty("type").GetString());
        Assert.Equal("url_not_in_prior_context", result.GetProperty("error_code").GetString());
        Assert.Empty(host.Backend.Searches);
    }

    [Theory]
    [InlineData(true, "/pages/to-private", "url_not_allowed")]
    [InlineData(false, "/pages/widgets", "url_not_allowed")]
    [InlineData(true, "/pages/image.png", "unsupported_content_type")]
    [InlineData(true, "/pages/missing", "url_not_accessible")]
    public async Task Fetches_the_outbound_rules_refuse_are_error_blocks(bool allowLoopback, string path, string code)
    {
        await using var host = await StartAsync(allowLoopback);
        var url = host.Backend.RootUrl + path;
        host.Upstream.Enqueue(Fetch(url), ScriptedReply.Text("Could not read it."));

        using var response = await host.Http.PostAsync("/v1/messages", RawRequests.Json(Body($"Read {url}")));
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.IsSuccessStatusCode, body);
        var result = JsonDocument.Parse(body).RootElement.GetProperty("content")[1].GetProperty("content");
        Assert.Equal(code, result.GetProperty("error_code").GetString());
        Assert.DoesNotContain("10.255.255.1", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetches_beyond_max_uses_are_not_run_and_max_content_tokens_cuts_the_text()
    {
        await using var host = await StartAsync();
        var url = host.Backend.RootUrl + "/pages/notes.txt";
        host.Upstream.Enqueue(Fetch(url), Fetch(url), ScriptedReply.Text("Done."));

        var message = await host.PostAsync(Body($"Read {url} twice.", tool: "\"max_uses\":1,\"max_content_tokens\":3"));

        var results = message.GetProperty("content").EnumerateArray().Where(b => b.GetProperty("type").GetString() == "web_fetch_tool_result").ToArray();
        Assert.Equal("Plain notes:", results[0].GetProperty("content").GetProperty("content").GetProperty("source").GetProperty("data").GetString()!.Trim()[..12]);
        Assert.True(results[0].GetProperty("content").GetProperty("content").GetProperty("source").GetProperty("data").GetString()!.Length <= 12);
        Assert.Equal("max_uses_exceeded", results[1].GetProperty("content").GetProperty("error_code").GetString());
        Assert.Single(host.Backend.Searches);
    }

    [Fact]
    public async Task A_fetched_page_sent_back_is_given_to_the_model_again()
    {
        await using var host = await StartAsync();
        var url = host.Backend.RootUrl + "/pages/widgets";
        host.Upstream.Enqueue(Fetch(url), ScriptedReply.Text("It says 42."));
        var first = await host.PostAsync(Body($"Read {url}"));
        host.Upstream.Reset();
        host.Upstream.Enqueue(ScriptedReply.Text("Yes."));

        var conversation = $$"""
            [{"role":"user","content":{{JsonSerializer.Serialize($"Read {url}")}}},
             {"role":"assistant","content":{{first.GetProperty("content").GetRawText()}}},
             {"role":"user","content":"Sure?"}]
            """;
        var body = $$"""{"model":"fake-model","max_tokens":64,"tools":[{"type":"web_fetch_20250910","name":"web_fetch"}],"messages":{{conversation}}}""";
        await host.PostAsync(body);

        var sent = UpstreamBody.Messages(Assert.Single(host.Upstream.Requests).Body);
        Assert.Contains("The widget answer is 42.", UpstreamBody.Text(sent.Single(m => m.GetProperty("role").GetString() == "tool")), StringComparison.Ordinal);
    }
}
