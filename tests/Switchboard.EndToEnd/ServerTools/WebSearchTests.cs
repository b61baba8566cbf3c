using System.Net;
using System.Text.Json;
using Switchboard.EndToEnd.AnthropicUpstream;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.FakeUpstream;

namespace Switchboard.EndToEnd.ServerTools;

/// <summary>
/// The web search tool run by Switchboard: the model calls the offered function, Switchboard searches the fake
/// backend, shows the client <c>server_tool_use</c> and <c>web_search_tool_result</c> blocks and continues the turn
/// upstream; citations, usage, <c>max_uses</c>, domain filters, backend failures and sealed results sent back.
/// </summary>
public sealed class WebSearchTests
{
    private const string Question = "What is the answer about widgets?";

    [Fact]
    public async Task A_whole_answer_holds_the_search_its_results_and_the_cited_answer()
    {
        await using var host = await WebSearchHost.StartAsync();
        host.Upstream.Enqueue(WebSearchHost.Search("widgets answer"), ScriptedReply.Text("The answer is 42 [1]. News came out [2]."));

        var message = await host.PostAsync(WebSearchHost.Body(Question));

        var content = message.GetProperty("content").EnumerateArray().ToArray();
        Assert.Equal(["server_tool_use", "web_search_tool_result", "text"], content.Select(b => b.GetProperty("type").GetString()));
        var call = content[0];
        Assert.StartsWith("srvtoolu_", call.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("web_search", call.GetProperty("name").GetString());
        Assert.Equal("widgets answer", call.GetProperty("input").GetProperty("query").GetString());
        var result = content[1];
        Assert.Equal(call.GetProperty("id").GetString(), result.GetProperty("tool_use_id").GetString());
        var hits = result.GetProperty("content").EnumerateArray().ToArray();
        Assert.Equal(
            ["https://docs.example.com/widgets-answer", "https://news.example.org/widgets-answer", "https://other.example.net/widgets-answer"],
            hits.Select(h => h.GetProperty("url").GetString()));
        Assert.All(hits, h => Assert.Equal("web_search_result", h.GetProperty("type").GetString()));
        Assert.Equal("widgets answer - Example Docs", hits[0].GetProperty("title").GetString());
        Assert.Equal("2026-11-30T10:00:00", hits[0].GetProperty("page_age").GetString());
        var sealedText = hits[0].GetProperty("encrypted_content").GetString()!;
        // The snippet the model read is sealed, not readable in the blob (a longer phrase: a short one can occur in random base64).
        Assert.DoesNotContain("the answer is 42", sealedText, StringComparison.Ordinal);

        var text = content[2];
        Assert.Equal("The answer is 42. News came out.", text.GetProperty("text").GetString());
        var citations = text.GetProperty("citations").EnumerateArray().ToArray();
        Assert.Equal(["https://docs.example.com/widgets-answer", "https://news.example.org/widgets-answer"], citations.Select(c => c.GetProperty("url").GetString()));
        Assert.All(citations, c => Assert.Equal("web_search_result_location", c.GetProperty("type").GetString()));
        Assert.StartsWith("Example Docs on widgets answer: the answer is 42", citations[0].GetProperty("cited_text").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(citations[0].GetProperty("encrypted_index").GetString()));

        Assert.Equal("end_turn", message.GetProperty("stop_reason").GetString());
        Assert.Equal(1, message.GetProperty("usage").GetProperty("server_tool_use").GetProperty("web_search_requests").GetInt32());

        // The backend got the model's query; the model got the function, then the numbered results to read.
        Assert.Equal("widgets answer", Assert.Single(host.Backend.Searches).Query);
        Assert.Equal(2, host.Upstream.Requests.Count);
        var offered = host.Upstream.Requests[0].Body.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal(["web_search"], offered);
        var continuation = UpstreamBody.Messages(host.Upstream.Requests[1].Body);
        Assert.Equal("tool", continuation[^1].GetProperty("role").GetString());
        var read = UpstreamBody.Text(continuation[^1]);
        Assert.Contains("[1] widgets answer - Example Docs", read, StringComparison.Ordinal);
        Assert.Contains("the answer is 42", read, StringComparison.Ordinal);
        Assert.Equal("web_search", continuation[^2].GetProperty("tool_calls")[0].GetProperty("function").GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_stream_sends_the_text_so_far_the_call_the_result_whole_and_the_continuation_in_order()
    {
        await using var host = await WebSearchHost.StartAsync();
        host.Upstream.Enqueue(WebSearchHost.Search("widgets answer", preamble: "Let me look."), ScriptedReply.Text("It is 42 [1]."));

        using var response = await host.Http.PostAsync("/v1/messages", RawRequests.Json(WebSearchHost.Body(Question, stream: true)));
        var events = await SseEvent.ReadAllAsync(await response.Content.ReadAsStreamAsync()).ToListAsync();
        Assert.True(events.All(e => e.Name is not null), string.Join("\n", events.SelectMany(e => e.Lines)));

        var shape = new List<string>();
        foreach (var e in events.Where(e => e.Name != "ping"))
        {
            var json = e.Json;
            var label = e.Name!;
            if (e.Name == "content_block_start")
            {
                label += ":" + json.GetProperty("content_block").GetProperty("type").GetString() + "@" + json.GetProperty("index").GetInt32();
            }
            else if (e.Name == "content_block_delta")
            {
                label += ":" + json.GetProperty("delta").GetProperty("type").GetString();
            }

            if (shape.Count == 0 || shape[^1] != label)
            {
                shape.Add(label);
            }
        }

        Assert.Equal(
            [
                "message_start",
                "content_block_start:text@0", "content_block_delta:text_delta", "content_block_stop",
                "content_block_start:server_tool_use@1", "content_block_delta:input_json_delta", "content_block_stop",
                "content_block_start:web_search_tool_result@2", "content_block_stop",
                "content_block_start:text@3", "content_block_delta:text_delta", "content_block_delta:citations_delta", "content_block_delta:text_delta", "content_block_stop",
                "message_delta", "message_stop",
            ],
            shape);
        var resultStart = events.Single(e => e.Name == "content_block_start" && e.Json.GetProperty("index").GetInt32() == 2).Json;
        Assert.Equal(3, resultStart.GetProperty("content_block").GetProperty("content").GetArrayLength());
        var input = string.Concat(events.Where(e => e.Name == "content_block_delta" && e.Json.GetProperty("index").GetInt32() == 1)
            .Select(e => e.Json.GetProperty("delta").GetProperty("partial_json").GetString()));
        Assert.Equal("widgets answer", JsonDocument.Parse(input).RootElement.GetProperty("query").GetString());
        var answer = string.Concat(events.Where(e => e.Name == "content_block_delta" && e.Json.GetProperty("index").GetInt32() == 3
            && e.Json.GetProperty("delta").GetProperty("type").GetString() == "text_delta").Select(e => e.Json.GetProperty("delta").GetProperty("text").GetString()));
        Assert.Equal("It is 42.", answer);
        var citation = events.Single(e => e.Name == "content_block_delta" && e.Json.GetProperty("delta").GetProperty("type").GetString() == "citations_delta").Json;
        Assert.Equal("https://docs.example.com/widgets-answer", citation.GetProperty("delta").GetProperty("citation").GetProperty("url").GetString());
        var delta = events.Single(e => e.Name == "message_delta").Json;
        Assert.Equal("end_turn", delta.GetProperty("delta").GetProperty("stop_reason").GetString());
        Assert.Equal(1, delta.GetProperty("usage").GetProperty("server_tool_use").GetProperty("web_search_requests").GetInt32());
    }

    [Fact]
    public async Task Searches_beyond_max_uses_are_not_run_and_say_so()
    {
        await using var host = await WebSearchHost.StartAsync();
        host.Upstream.Enqueue(WebSearchHost.Search("first query"), WebSearchHost.Search("second query"), ScriptedReply.Text("Done."));

        var message = await host.PostAsync(WebSearchHost.Body(Question, tool: "\"max_uses\":1"));

        var results = message.GetProperty("content").EnumerateArray().Where(b => b.GetProperty("type").GetString() == "web_search_tool_result").ToArray();
        Assert.Equal(2, results.Length);
        Assert.Equal(JsonValueKind.Array, results[0].GetProperty("content").ValueKind);
        Assert.Equal("web_search_tool_result_error", results[1].GetProperty("content").GetProperty("type").GetString());
        Assert.Equal("max_uses_exceeded", results[1].GetProperty("content").GetProperty("error_code").GetString());
        Assert.Equal("first query", Assert.Single(host.Backend.Searches).Query);
        Assert.Equal(1, message.GetProperty("usage").GetProperty("server_tool_use").GetProperty("web_search_requests").GetInt32());
        Assert.Equal("Done.", message.GetProperty("content").EnumerateArray().Last().GetProperty("text").GetString());
    }

    [Fact]
    public async Task Allowed_domains_keep_only_their_results_and_reach_a_backend_that_filters_itself()
    {
        await using var host = await WebSearchHost.StartAsync("tavily");
        host.Upstream.Enqueue(WebSearchHost.Search("widgets"), ScriptedReply.Text("Ok."));

        var message = await host.PostAsync(WebSearchHost.Body(Question, tool: "\"allowed_domains\":[\"example.org\"]"));

        var hits = message.GetProperty("content")[1].GetProperty("content").EnumerateArray().Select(h => h.GetProperty("url").GetString());
        Assert.Equal(["https://news.example.org/widgets"], hits);
        var search = Assert.Single(host.Backend.Searches);
        Assert.Equal(["example.org"], search.IncludeDomains);
        Assert.Equal("tavily-test-key", search.Key);
    }

    [Fact]
    public async Task Blocked_domains_and_their_subdomains_are_left_out()
    {
        await using var host = await WebSearchHost.StartAsync();
        host.Upstream.Enqueue(WebSearchHost.Search("widgets"), ScriptedReply.Text("Ok."));

        var message = await host.PostAsync(WebSearchHost.Body(Question, tool: "\"blocked_domains\":[\"example.com\", \"other.example.net\"]"));

        var hits = message.GetProperty("content")[1].GetProperty("content").EnumerateArray().Select(h => h.GetProperty("url").GetString());
        Assert.Equal(["https://news.example.org/widgets"], hits);
        var read = UpstreamBody.Text(UpstreamBody.Messages(host.Upstream.Requests[1].Body)[^1]);
        Assert.DoesNotContain("docs.example.com", read, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("backend-500 widgets", "unavailable")]
    [InlineData("backend-429 widgets", "too_many_requests")]
    public async Task A_failing_backend_is_an_error_block_the_model_reads_never_a_5xx_or_its_details(string query, string code)
    {
        await using var host = await WebSearchHost.StartAsync();
        host.Upstream.Enqueue(WebSearchHost.Search(query), ScriptedReply.Text("I could not search."));

        using var response = await host.Http.PostAsync("/v1/messages", RawRequests.Json(WebSearchHost.Body(Question)));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = JsonDocument.Parse(body).RootElement.GetProperty("content")[1].GetProperty("content");
        Assert.Equal("web_search_tool_result_error", result.GetProperty("type").GetString());
        Assert.Equal(code, result.GetProperty("error_code").GetString());
        Assert.DoesNotContain("10.9.8.7", body, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Backend.RootUrl, body, StringComparison.Ordinal);
        var read = UpstreamBody.Text(UpstreamBody.Messages(host.Upstream.Requests[1].Body)[^1]);
        Assert.Contains(code, read, StringComparison.Ordinal);
        Assert.DoesNotContain("10.9.8.7", read, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_slow_backend_times_out_as_unavailable()
    {
        await using var host = await WebSearchHost.StartAsync("searxng", "--Switchboard:WebSearch:TimeoutSeconds=0.5");
        host.Upstream.Enqueue(WebSearchHost.Search("backend-slow widgets"), ScriptedReply.Text("Later."));

        var message = await host.PostAsync(WebSearchHost.Body(Question));

        Assert.Equal("unavailable", message.GetProperty("content")[1].GetProperty("content").GetProperty("error_code").GetString());
    }

    [Fact]
    public async Task Results_sent_back_are_opened_for_the_model_and_a_tampered_one_is_refused()
    {
        await using var host = await WebSearchHost.StartAsync();
        host.Upstream.Enqueue(WebSearchHost.Search("widgets answer"), ScriptedReply.Text("It is 42 [1]."));
        var first = await host.PostAsync(WebSearchHost.Body(Question));
        var assistant = first.GetProperty("content").GetRawText();
        string Conversation(string content) => $$"""
            [{"role":"user","content":"{{Question}}"},
             {"role":"assistant","content":{{content}}},
             {"role":"user","content":"And when was it reported?"}]
            """;

        host.Upstream.Reset();
        host.Upstream.Enqueue(ScriptedReply.Text("On 30 November."));
        var second = await host.PostAsync(WebSearchHost.Body(Question, messages: Conversation(assistant)));

        Assert.Equal("On 30 November.", second.GetProperty("content")[0].GetProperty("text").GetString());
        Assert.False(second.GetProperty("usage").TryGetProperty("server_tool_use", out _));
        var sent = UpstreamBody.Messages(Assert.Single(host.Upstream.Requests).Body);
        var replayed = sent.Single(m => m.GetProperty("role").GetString() == "tool");
        Assert.Contains("Example Docs on widgets answer: the answer is 42", UpstreamBody.Text(replayed), StringComparison.Ordinal);
        Assert.Contains(sent, m => m.GetProperty("role").GetString() == "assistant" && m.TryGetProperty("tool_calls", out _));

        // One character of the sealed text changed: refused, naming the block.
        var sealedText = first.GetProperty("content")[1].GetProperty("content")[0].GetProperty("encrypted_content").GetString()!;
        var flipped = sealedText[..^3] + (sealedText[^3] == 'A' ? 'B' : 'A') + sealedText[^2..];
        using var tampered = await host.Http.PostAsync("/v1/messages", RawRequests.Json(WebSearchHost.Body(Question, messages: Conversation(assistant.Replace(sealedText, flipped, StringComparison.Ordinal)))));
        var error = JsonDocument.Parse(await tampered.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal(HttpStatusCode.BadRequest, tampered.StatusCode);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Contains("messages.1.content.1.content.0.encrypted_content", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Single(host.Upstream.Requests);

        // Another provider's result (a conversation begun on Anthropic): not refused; the model gets title and URL.
        host.Upstream.Enqueue(ScriptedReply.Text("Fine."));
        await host.PostAsync(WebSearchHost.Body(Question, messages: Conversation(assistant.Replace(sealedText, "EqForeignProviderBlob0123", StringComparison.Ordinal))));
        var foreign = UpstreamBody.Text(UpstreamBody.Messages(host.Upstream.Requests[^1].Body).Single(m => m.GetProperty("role").GetString() == "tool"));
        Assert.Contains("https://docs.example.com/widgets-answer", foreign, StringComparison.Ordinal);
        Assert.DoesNotContain("the answer is 42", foreign, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("brave")]
    [InlineData("exa")]
    [InlineData("tavily")]
    [InlineData("searxng")]
    public async Task Each_backend_is_asked_in_its_own_shape_and_its_results_reach_the_model(string provider)
    {
        await using var host = await WebSearchHost.StartAsync(provider);
        host.Upstream.Enqueue(WebSearchHost.Search("widgets"), ScriptedReply.Text("Ok."));

        var message = await host.PostAsync(WebSearchHost.Body(Question, tool: "\"user_location\":{\"type\":\"approximate\",\"country\":\"DE\"}"));

        var search = Assert.Single(host.Backend.Searches);
        Assert.Equal(provider, search.Provider);
        Assert.Equal("widgets", search.Query);
        if (provider is "brave" or "exa")
        {
            Assert.Equal("DE", search.Country);
            Assert.Equal(5, search.Count);
        }

        Assert.Equal(3, message.GetProperty("content")[1].GetProperty("content").GetArrayLength());
        Assert.Contains("News about widgets", UpstreamBody.Text(UpstreamBody.Messages(host.Upstream.Requests[1].Body)[^1]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_backend_the_tool_is_still_refused_by_name()
    {
        await using var host = await SwitchboardHost.StartAsync();

        using var response = await host.Http.PostAsync("/v1/messages", RawRequests.Json(WebSearchHost.Body(Question)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("web_search", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(host.Upstream.Requests);
    }

    [Fact]
    public async Task An_upstream_that_runs_server_tools_gets_the_tool_as_sent_even_with_a_backend()
    {
        await using var backend = await FakeModelServer.StartAsync();
        await using var host = await AnthropicUpstreamHost.StartAsync(
            null, "--Switchboard:Upstreams:default:AllowServerTools=true", "--Switchboard:WebSearch:Provider=searxng", $"--Switchboard:WebSearch:Url={backend.SearchUrl("searxng")}");

        using var response = await host.Http.SendAsync(AnthropicUpstreamHost.Post("/v1/messages", WebSearchHost.Body(Question)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Assert.Single(host.Upstream.MessagesRequests).Body;
        Assert.Equal("web_search_20250305", sent.GetProperty("tools")[0].GetProperty("type").GetString());
        Assert.Empty(backend.Searches);
    }

    [Fact]
    public async Task A_model_that_keeps_searching_is_paused_at_the_limit()
    {
        await using var host = await WebSearchHost.StartAsync("searxng", "--Switchboard:WebSearch:MaxUsesPerRequest=1");
        host.Upstream.Enqueue(WebSearchHost.Search("one"), WebSearchHost.Search("two"), WebSearchHost.Search("three"), ScriptedReply.Text("never sent"));

        var message = await host.PostAsync(WebSearchHost.Body(Question));

        Assert.Equal("pause_turn", message.GetProperty("stop_reason").GetString());
        Assert.Equal(3, host.Upstream.Requests.Count);
        Assert.Equal(["one"], host.Backend.Searches.Select(s => s.Query));
        Assert.Equal(3, message.GetProperty("content").EnumerateArray().Count(b => b.GetProperty("type").GetString() == "server_tool_use"));
    }

    [Fact]
    public async Task A_turn_that_also_calls_a_client_tool_ends_with_tool_use_after_its_search()
    {
        await using var host = await WebSearchHost.StartAsync();
        host.Upstream.Enqueue(new ScriptedReply
        {
            ToolCalls =
            [
                new ScriptedToolCall { Name = "web_search", Arguments = """{"query":"widgets"}""" },
                new ScriptedToolCall { Name = "get_weather", Arguments = """{"city":"Paris"}""" },
            ],
        });
        var body = WebSearchHost.Body(Question).Replace(
            "\"tools\":[", "\"tools\":[{\"name\":\"get_weather\",\"input_schema\":{\"type\":\"object\"}},", StringComparison.Ordinal);

        var message = await host.PostAsync(body);

        Assert.Equal("tool_use", message.GetProperty("stop_reason").GetString());
        var types = message.GetProperty("content").EnumerateArray().Select(b => b.GetProperty("type").GetString()).ToList();
        Assert.Equal(["tool_use", "server_tool_use", "web_search_tool_result"], types);
        Assert.Equal("get_weather", message.GetProperty("content")[0].GetProperty("name").GetString());
        Assert.Single(host.Upstream.Requests);
        Assert.Equal(1, message.GetProperty("usage").GetProperty("server_tool_use").GetProperty("web_search_requests").GetInt32());
    }

    [Fact]
    public async Task A_token_count_with_the_tool_counts_the_offered_function()
    {
        await using var host = await WebSearchHost.StartAsync();
        const string Plain = """{"model":"fake-model","messages":[{"role":"user","content":"What is the answer about widgets?"}]}""";
        var withTool = WebSearchHost.Body(Question).Replace("\"max_tokens\":256,\"stream\":false,", "", StringComparison.Ordinal);

        using var plain = await host.Http.PostAsync("/v1/messages/count_tokens", RawRequests.Json(Plain));
        using var tool = await host.Http.PostAsync("/v1/messages/count_tokens", RawRequests.Json(withTool));

        Assert.Equal(HttpStatusCode.OK, tool.StatusCode);
        var plainCount = JsonDocument.Parse(await plain.Content.ReadAsStringAsync()).RootElement.GetProperty("input_tokens").GetInt32();
        var toolCount = JsonDocument.Parse(await tool.Content.ReadAsStringAsync()).RootElement.GetProperty("input_tokens").GetInt32();
        Assert.True(toolCount > plainCount + 20, $"{toolCount} vs {plainCount}");
    }
}
