using System.Net;
using System.Text.Json;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.FakeUpstream;

namespace Switchboard.EndToEnd.AnthropicUpstream;

/// <summary>
/// Messages door → Anthropic-compatible upstream: the client's body reaches the upstream as written with only the
/// model changed, and the upstream's answer reaches the client as written: events, foreign thinking signatures,
/// redacted thinking and server-tool blocks included; usage is read for the log.
/// </summary>
public sealed class PassthroughTests
{
    /// <summary>Odd spacing, unknown fields, cache_control, a server-tool block and an upstream-signed thinking block.</summary>
    private const string ClientBody =
        """{ "model" : "claude-sonnet-4-5","max_tokens":512,  "stream":true, "future_field": {"x":[1,2]},"system":[{"type":"text","text":"Be brief.","cache_control":{"type":"ephemeral"}}],"messages":[{"role":"user","content":"Weather?"},{"role":"assistant","content":[{"type":"thinking","thinking":"Look it up.","signature":"EqQBCkYIBRgCKkBupstream-signed=="},{"type":"redacted_thinking","data":"EmwKAhgBEgy3va3pzix"},{"type":"server_tool_use","id":"srvtoolu_01","name":"web_search","input":{"query":"oslo weather"}},{"type":"text","text":"Sunny."}]},{"role":"user","content":[{"type":"text","text":"Thanks \u00e9\ud83d\ude00","cache_control":{"type":"ephemeral","ttl":"1h"}}]}]}""";

    private static ScriptedMessagesReply Reply() => new()
    {
        Id = "msg_01Upstream",
        Blocks =
        [
            ScriptedBlock.Thinking("The user thanks me.", "EqQBCkYIBRgCKkBnext-signature=="),
            ScriptedBlock.Redacted("EmwKAhgBEgyRedacted"),
            ScriptedBlock.Raw("""{"type":"future_block","payload":{"a":1}}"""),
            ScriptedBlock.OfText("You're welcome!"),
        ],
        InputTokens = 120,
        CacheReadTokens = 4000,
        CacheWriteTokens = 30,
        OutputTokens = 25,
    };

    [Fact]
    public async Task A_streamed_request_goes_up_as_written_with_only_the_model_changed_and_its_events_come_back_unchanged()
    {
        var logs = new CapturedLogs();
        await using var host = await AnthropicUpstreamHost.StartAsync(logs);
        var reply = Reply();
        host.Upstream.EnqueueMessages(reply);

        using var response = await host.Http.SendAsync(AnthropicUpstreamHost.Post("/v1/messages", ClientBody,
            ("anthropic-beta", "interleaved-thinking-2025-05-14,context-1m-2025-08-07")), HttpCompletionOption.ResponseHeadersRead);
        var received = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Assert.Single(host.Upstream.MessagesRequests);
        Assert.Equal(ClientBody.Replace("\"claude-sonnet-4-5\"", "\"fake-model\"", StringComparison.Ordinal), sent.Body.GetRawText());
        Assert.Equal("interleaved-thinking-2025-05-14,context-1m-2025-08-07", sent.Headers["anthropic-beta"]);
        Assert.Equal("2023-06-01", sent.Headers["anthropic-version"]);
        Assert.Equal(AnthropicUpstreamHost.UpstreamKey, sent.Headers["x-api-key"]);
        Assert.False(sent.Headers.ContainsKey("authorization"));
        Assert.Equal(string.Concat(MessagesWire.Events(reply, "fake-model")), received);

        var line = AnthropicUpstreamHost.LogLine(logs, response);
        Assert.Contains("input_tokens=4150 ", line);
        Assert.Contains("cache_read_tokens=4000 ", line);
        Assert.Contains("cache_write_tokens=30 ", line);
        Assert.Contains("output_tokens=25 ", line);
        Assert.Matches(@"ttft_ms=[0-9.]+ ", line);
    }

    [Fact]
    public async Task A_whole_answer_is_relayed_as_the_upstream_wrote_it()
    {
        var logs = new CapturedLogs();
        await using var host = await AnthropicUpstreamHost.StartAsync(logs);
        var reply = Reply();
        host.Upstream.EnqueueMessages(reply);
        var body = ClientBody.Replace("\"stream\":true", "\"stream\":false", StringComparison.Ordinal);

        using var response = await host.Http.SendAsync(AnthropicUpstreamHost.Post("/v1/messages", body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(MessagesWire.Message(reply, "fake-model"), await response.Content.ReadAsStringAsync());
        Assert.Equal(body.Replace("\"claude-sonnet-4-5\"", "\"fake-model\"", StringComparison.Ordinal), Assert.Single(host.Upstream.MessagesRequests).Body.GetRawText());
        var line = AnthropicUpstreamHost.LogLine(logs, response);
        Assert.Contains("input_tokens=4150 ", line);
        Assert.Contains("output_tokens=25 ", line);
    }

    [Fact]
    public async Task The_upstreams_thinking_and_signatures_go_back_to_it_unchanged_on_the_next_turn()
    {
        await using var host = await AnthropicUpstreamHost.StartAsync();
        host.Upstream.EnqueueMessages(Reply(), ScriptedMessagesReply.Text("Again."));
        var first = """{"model":"claude-sonnet-4-5","max_tokens":512,"messages":[{"role":"user","content":"Thanks"}]}""";

        using var answer = await host.Http.SendAsync(AnthropicUpstreamHost.Post("/v1/messages", first));
        var content = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.GetProperty("content").GetRawText();
        var second = """{"model":"claude-sonnet-4-5","max_tokens":512,"messages":[{"role":"user","content":"Thanks"},{"role":"assistant","content":CONTENT},{"role":"user","content":"More"}]}"""
            .Replace("CONTENT", content, StringComparison.Ordinal);
        using var next = await host.Http.SendAsync(AnthropicUpstreamHost.Post("/v1/messages", second));

        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        var sent = host.Upstream.MessagesRequests[1].Body;
        Assert.Equal(second.Replace("\"claude-sonnet-4-5\"", "\"fake-model\"", StringComparison.Ordinal), sent.GetRawText());
        var replayed = sent.GetProperty("messages")[1].GetProperty("content");
        Assert.Equal("EqQBCkYIBRgCKkBnext-signature==", replayed[0].GetProperty("signature").GetString());
        Assert.Equal("redacted_thinking", replayed[1].GetProperty("type").GetString());
        Assert.Equal("future_block", replayed[2].GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_budget_fitted_to_the_model_is_the_only_other_change()
    {
        await using var host = await AnthropicUpstreamHost.StartAsync(null, "--Switchboard:Models:0:MaxOutputTokens=100");
        var body = """{"model":"claude-sonnet-4-5","max_tokens":64000,"messages":[{"role":"user","content":"Hi"}]}""";

        using var response = await host.Http.SendAsync(AnthropicUpstreamHost.Post("/v1/messages", body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"model":"fake-model","max_tokens":100,"messages":[{"role":"user","content":"Hi"}]}""",
            Assert.Single(host.Upstream.MessagesRequests).Body.GetRawText());
    }

    [Fact]
    public async Task The_clients_anthropic_version_wins_and_configured_headers_and_bearer_keys_are_sent()
    {
        await using var host = await AnthropicUpstreamHost.StartAsync(null,
            "--Switchboard:Upstreams:default:KeyHeader=bearer", "--Switchboard:Upstreams:default:Headers:x-provider-route=eu");

        using var response = await host.Http.SendAsync(AnthropicUpstreamHost.Post("/v1/messages", RawRequests.SimpleBody));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Assert.Single(host.Upstream.MessagesRequests);
        Assert.Equal("Bearer " + AnthropicUpstreamHost.UpstreamKey, sent.Headers["authorization"]);
        Assert.False(sent.Headers.ContainsKey("x-api-key"));
        Assert.Equal("eu", sent.Headers["x-provider-route"]);
        Assert.Equal("2023-06-01", sent.Headers["anthropic-version"]);
    }

    [Fact]
    public async Task Thinking_signed_by_switchboard_for_another_model_is_left_out_and_the_rest_written_from_the_canonical_model()
    {
        // A conversation that began on an OpenAI-compatible model, whose thinking carries Switchboard's own signature,
        // continues on an Anthropic-compatible one: that signature means nothing there.
        await using var fake = await FakeModelServer.StartAsync();
        await using var host = await SwitchboardHost.StartAsync(upstreamUrl: fake.BaseUrl, args: [
            "--Switchboard:Upstreams:claude:Api=anthropic", "--Switchboard:Upstreams:claude:BaseUrl=" + fake.BaseUrl,
            "--Switchboard:Models:1:Name=remote-model", "--Switchboard:Models:1:Upstream=claude", "--Switchboard:Models:1:UpstreamModel=fake-model"]);
        fake.Enqueue(new ScriptedReply { Reasoning = "Local thought.", Content = "Local answer." });
        using var first = await host.Http.SendAsync(AnthropicUpstreamHost.Post("/v1/messages",
            """{"model":"fake-model","max_tokens":100,"messages":[{"role":"user","content":"Q1"}]}"""));
        var content = JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement.GetProperty("content");
        Assert.Equal("thinking", content[0].GetProperty("type").GetString());

        var second = """{"model":"remote-model","max_tokens":100,"messages":[{"role":"user","content":"Q1"},{"role":"assistant","content":CONTENT},{"role":"user","content":"Q2"}]}"""
            .Replace("CONTENT", content.GetRawText(), StringComparison.Ordinal);
        using var response = await host.Http.SendAsync(AnthropicUpstreamHost.Post("/v1/messages", second));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Assert.Single(fake.MessagesRequests).Body;
        Assert.Equal("fake-model", sent.GetProperty("model").GetString());
        var assistant = sent.GetProperty("messages")[1];
        Assert.Equal("assistant", assistant.GetProperty("role").GetString());
        var block = Assert.Single(assistant.GetProperty("content").EnumerateArray());
        Assert.Equal("text", block.GetProperty("type").GetString());
        Assert.Equal("Local answer.", block.GetProperty("text").GetString());
    }
}
