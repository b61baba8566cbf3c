using System.Net;
using System.Text;
using System.Text.Json;
using Switchboard.EndToEnd.AnthropicUpstream;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.FakeUpstream;

namespace Switchboard.EndToEnd;

/// <summary>
/// Context editing (<c>context_management.edits</c>) over real HTTP: what the model server receives, the
/// <c>applied_edits</c> the client reads (whole and streamed), and <c>count_tokens</c> after the edits.
/// </summary>
public sealed class ContextEditingTests
{
    private const string Placeholder = "[Tool result cleared by context editing to save context]";

    private const string ClearOldReads =
        """{"edits":[{"type":"clear_tool_uses_20250919","trigger":{"type":"input_tokens","value":1000},"keep":{"type":"tool_uses","value":2}}]}""";

    /// <summary>A Messages body: five file reads, each answered with about 1,000 tokens of file, then the question.</summary>
    private static string Body(string contextManagement, bool stream = false, bool count = false, string model = "fake-model")
    {
        var messages = new StringBuilder("""[{"role":"user","content":"Summarise the repository."}""");
        for (var i = 0; i < 5; i++)
        {
            messages.Append(
                $",{{\"role\":\"assistant\",\"content\":[{{\"type\":\"text\",\"text\":\"Reading file {i}.\"}},"
                + $"{{\"type\":\"tool_use\",\"id\":\"toolu_{i}\",\"name\":\"Read\",\"input\":{{\"path\":\"src/file{i}.cs\"}}}}]}}"
                + $",{{\"role\":\"user\",\"content\":[{{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_{i}\","
                + $"\"content\":\"contents of file {i}: {new string('x', 4000)}\"}}]}}");
        }

        messages.Append(']');
        var generation = count ? "" : $"\"max_tokens\":64,\"stream\":{(stream ? "true" : "false")},";
        return $$"""{"model":"{{model}}",{{generation}}"messages":{{messages}},"context_management":{{contextManagement}}}""";
    }

    private static string[] ToolTexts(JsonElement upstreamBody) =>
        [.. UpstreamBody.Messages(upstreamBody).Where(m => m.GetProperty("role").GetString() == "tool").Select(UpstreamBody.Text)];

    private static async Task<JsonElement> JsonOf(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The fake tokenizer's counts of what Switchboard asked it to count, in order.</summary>
    private static int[] TokenizerCounts(SwitchboardHost host) =>
        [.. host.Upstream.AllRequests.Where(r => r.Path == "/tokenize").Select(r => FakeTokenizer.CountRequest(r.Body))];

    private static void AssertClearedThreeReads(JsonElement applied, SwitchboardHost host)
    {
        var edit = Assert.Single(applied.EnumerateArray());
        Assert.Equal("clear_tool_uses_20250919", edit.GetProperty("type").GetString());
        Assert.Equal(3, edit.GetProperty("cleared_tool_uses").GetInt32());

        // Counted by the model server's tokenizer: the prompt before the edit, then after it.
        var counts = TokenizerCounts(host);
        Assert.True(counts.Length >= 2, $"{counts.Length} counts");
        Assert.Equal(counts[0] - counts[1], edit.GetProperty("cleared_input_tokens").GetInt32());
        Assert.True(counts[0] - counts[1] > 2_000, $"cleared {counts[0] - counts[1]}");
    }

    [Fact]
    public async Task Old_tool_results_are_cleared_upstream_and_reported_in_the_message()
    {
        await using var host = await SwitchboardHost.StartAsync();

        using var response = await host.Http.PostAsync("/v1/messages", RawRequests.Json(Body(ClearOldReads)));

        var message = await JsonOf(response);
        var tools = ToolTexts(Assert.Single(host.Upstream.Requests).Body);
        Assert.Equal([Placeholder, Placeholder, Placeholder], tools[..3]);
        Assert.StartsWith("contents of file 3", tools[3], StringComparison.Ordinal);
        Assert.StartsWith("contents of file 4", tools[4], StringComparison.Ordinal);
        AssertClearedThreeReads(message.GetProperty("context_management").GetProperty("applied_edits"), host);
    }

    [Fact]
    public async Task A_streamed_answer_reports_the_applied_edits_in_message_delta()
    {
        await using var host = await SwitchboardHost.StartAsync();

        using var response = await host.Http.PostAsync("/v1/messages", RawRequests.Json(Body(ClearOldReads, stream: true)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = new List<SseEvent>();
        await foreach (var e in SseEvent.ReadAllAsync(await response.Content.ReadAsStreamAsync()))
        {
            events.Add(e);
        }

        var delta = Assert.Single(events, e => e.Name == "message_delta").Json;
        AssertClearedThreeReads(delta.GetProperty("context_management").GetProperty("applied_edits"), host);
        Assert.Equal([Placeholder, Placeholder, Placeholder], ToolTexts(Assert.Single(host.Upstream.Requests).Body)[..3]);

        // message_start counts the prompt as sent: after the edit.
        var start = Assert.Single(events, e => e.Name == "message_start").Json;
        Assert.Equal(TokenizerCounts(host)[1], start.GetProperty("message").GetProperty("usage").GetProperty("input_tokens").GetInt32());
    }

    [Fact]
    public async Task Count_tokens_counts_the_prompt_after_the_edits_and_reports_the_original()
    {
        await using var host = await SwitchboardHost.StartAsync();

        using var response = await host.Http.PostAsync("/v1/messages/count_tokens", RawRequests.Json(Body(ClearOldReads, count: true)));

        var count = await JsonOf(response);
        var counts = TokenizerCounts(host);
        Assert.Equal(2, counts.Length);
        Assert.Equal(counts[1], count.GetProperty("input_tokens").GetInt32());
        Assert.Equal(counts[0], count.GetProperty("context_management").GetProperty("original_input_tokens").GetInt32());
        Assert.True(counts[0] - counts[1] > 2_000);
    }

    [Fact]
    public async Task Under_the_trigger_nothing_is_cleared_and_the_report_is_empty()
    {
        await using var host = await SwitchboardHost.StartAsync();

        using var response = await host.Http.PostAsync("/v1/messages", RawRequests.Json(Body(
            """{"edits":[{"type":"clear_tool_uses_20250919"}]}""")));

        var message = await JsonOf(response);
        Assert.Equal(0, message.GetProperty("context_management").GetProperty("applied_edits").GetArrayLength());
        Assert.DoesNotContain(Placeholder, ToolTexts(Assert.Single(host.Upstream.Requests).Body));
    }

    [Fact]
    public async Task Claude_codes_keep_all_thinking_is_a_no_op_that_reports_no_edits()
    {
        await using var host = await SwitchboardHost.StartAsync();
        var body = """
            {"model":"fake-model","max_tokens":64,"thinking":{"type":"adaptive"},
             "messages":[{"role":"user","content":"Hi"}],
             "context_management":{"edits":[{"type":"clear_thinking_20251015","keep":"all"}]}}
            """;

        using var response = await host.Http.PostAsync("/v1/messages", RawRequests.Json(body));

        var message = await JsonOf(response);
        Assert.Equal("""{"applied_edits":[]}""", message.GetProperty("context_management").GetRawText());
        Assert.DoesNotContain(host.Upstream.AllRequests, r => r.Path == "/tokenize");
    }

    [Fact]
    public async Task A_bad_edit_is_a_400_naming_the_field()
    {
        await using var host = await SwitchboardHost.StartAsync();

        using var response = await host.Http.PostAsync("/v1/messages", RawRequests.Json(Body(
            """{"edits":[{"type":"clear_tool_uses_20250919","keep":{"type":"tool_uses","value":-2}}]}""")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("context_management.edits.0.keep.value: Input should be greater than or equal to 0", error.GetProperty("message").GetString());
        Assert.Empty(host.Upstream.Requests);
    }

    private const string ClearByCount =
        """{"edits":[{"type":"clear_tool_uses_20250919","trigger":{"type":"tool_uses","value":4},"keep":{"type":"tool_uses","value":2},"clear_tool_inputs":true}]}""";

    [Fact]
    public async Task An_anthropic_compatible_upstream_gets_the_edited_conversation_without_context_management()
    {
        await using var host = await AnthropicUpstreamHost.StartAsync();

        using var response = await host.Http.SendAsync(AnthropicUpstreamHost.Post("/v1/messages", Body(ClearByCount, model: "claude-sonnet-4-5")));

        var message = await JsonOf(response);
        var sent = Assert.Single(host.Upstream.MessagesRequests).Body;
        Assert.False(sent.TryGetProperty("context_management", out _));
        var blocks = sent.GetProperty("messages").EnumerateArray().SelectMany(m => m.GetProperty("content").EnumerateArray()).ToArray();
        var results = blocks.Where(b => b.GetProperty("type").GetString() == "tool_result").Select(b => b.GetProperty("content").GetRawText()).ToArray();
        Assert.Contains(Placeholder, results[0], StringComparison.Ordinal);
        Assert.Contains("contents of file 4", results[4], StringComparison.Ordinal);
        var inputs = blocks.Where(b => b.GetProperty("type").GetString() == "tool_use").Select(b => b.GetProperty("input").GetRawText()).ToArray();
        Assert.Equal(["{}", "{}", "{}"], inputs[..3]);
        Assert.Contains("file4.cs", inputs[4], StringComparison.Ordinal);
        var edit = Assert.Single(message.GetProperty("context_management").GetProperty("applied_edits").EnumerateArray());
        Assert.Equal(3, edit.GetProperty("cleared_tool_uses").GetInt32());
    }

    [Fact]
    public async Task A_stream_from_an_anthropic_compatible_upstream_reports_the_edits_switchboard_made()
    {
        await using var host = await AnthropicUpstreamHost.StartAsync();

        using var response = await host.Http.SendAsync(AnthropicUpstreamHost.Post("/v1/messages", Body(ClearByCount, stream: true, model: "claude-sonnet-4-5")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = new List<SseEvent>();
        await foreach (var e in SseEvent.ReadAllAsync(await response.Content.ReadAsStreamAsync()))
        {
            events.Add(e);
        }

        var delta = Assert.Single(events, e => e.Name == "message_delta").Json;
        var edit = Assert.Single(delta.GetProperty("context_management").GetProperty("applied_edits").EnumerateArray());
        Assert.Equal("clear_tool_uses_20250919", edit.GetProperty("type").GetString());
        Assert.Equal(3, edit.GetProperty("cleared_tool_uses").GetInt32());
        Assert.Equal("message_stop", events[^1].Name);
        Assert.DoesNotContain("context_management", Assert.Single(host.Upstream.MessagesRequests).Body.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_anthropic_upstream_allowed_its_own_features_gets_context_management_as_sent()
    {
        await using var host = await AnthropicUpstreamHost.StartAsync(null, "--Switchboard:Upstreams:default:AllowServerTools=true");
        var body = Body(ClearByCount, model: "claude-sonnet-4-5");

        using var response = await host.Http.SendAsync(AnthropicUpstreamHost.Post("/v1/messages", body));

        await JsonOf(response);
        Assert.Equal(body.Replace("\"claude-sonnet-4-5\"", "\"fake-model\"", StringComparison.Ordinal), Assert.Single(host.Upstream.MessagesRequests).Body.GetRawText());
    }
}
