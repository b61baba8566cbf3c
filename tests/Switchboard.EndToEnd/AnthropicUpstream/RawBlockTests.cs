using System.Net;
using System.Text.Json;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.FakeUpstream;

namespace Switchboard.EndToEnd.AnthropicUpstream;

/// <summary>
/// Messages door → Anthropic-compatible upstream on the translated path (the request was changed for the upstream, so
/// it is written from the canonical model and the answer read back into it): the upstream's <c>redacted_thinking</c>
/// and server-tool blocks still reach the client as it sent them, and go back to it on the next turn.
/// </summary>
public sealed class RawBlockTests
{
    private const string SearchResult =
        """{"type":"web_search_tool_result","tool_use_id":"srvtoolu_01","content":[{"type":"web_search_result","url":"https://example.com/a","title":"A","encrypted_content":"Eq8Benc"}]}""";

    private static readonly string Pdf = TestPdf.Base64("The invoice total is 4217 euros");

    private static ScriptedMessagesReply Reply() => new()
    {
        Blocks =
        [
            ScriptedBlock.Thinking("Search for it.", "EqQBsig-upstream=="),
            ScriptedBlock.Redacted("EmwKAhgBEgyRedacted"),
            ScriptedBlock.ServerToolUse("srvtoolu_01", "web_search", """{"query":"invoice 4217"}"""),
            ScriptedBlock.Raw(SearchResult),
            ScriptedBlock.OfText("Done."),
        ],
    };

    /// <summary>A PDF the upstream may not take (no <c>AllowServerTools</c>) is sent as its text: the request is not passed through.</summary>
    private static string FirstUser() =>
        """{"role":"user","content":[{"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"PDF"}},{"type":"text","text":"Check the invoice."}]}"""
            .Replace("PDF", Pdf, StringComparison.Ordinal);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Redacted_thinking_and_server_tool_blocks_reach_the_client_and_go_back_to_the_upstream(bool stream)
    {
        await using var host = await AnthropicUpstreamHost.StartAsync();
        host.Upstream.EnqueueMessages(Reply(), ScriptedMessagesReply.Text("You're welcome."));
        var first = $$"""{"model":"claude-sonnet-4-5","max_tokens":512,"stream":{{(stream ? "true" : "false")}},"messages":[{{FirstUser()}}]}""";

        using var response = await host.Http.SendAsync(AnthropicUpstreamHost.Post("/v1/messages", first, ("anthropic-version", "2023-06-01")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sentFirst = host.Upstream.MessagesRequests[0].Body.GetProperty("messages")[0].GetProperty("content");
        Assert.DoesNotContain(sentFirst.EnumerateArray(), b => b.GetProperty("type").GetString() == "document");

        var content = stream ? await StreamedContentAsync(response) : JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("content").Clone();
        Assert.Equal(["thinking", "redacted_thinking", "server_tool_use", "web_search_tool_result", "text"],
            content.EnumerateArray().Select(b => b.GetProperty("type").GetString()!).ToArray());
        Assert.Equal("EmwKAhgBEgyRedacted", content[1].GetProperty("data").GetString());
        Assert.Equal("srvtoolu_01", content[2].GetProperty("id").GetString());
        Assert.Equal("invoice 4217", content[2].GetProperty("input").GetProperty("query").GetString());
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(SearchResult).RootElement, content[3]));

        var second = $$"""{"model":"claude-sonnet-4-5","max_tokens":512,"messages":[{{FirstUser()}},{"role":"assistant","content":{{content.GetRawText()}}},{"role":"user","content":"Thanks"}]}""";
        using var next = await host.Http.SendAsync(AnthropicUpstreamHost.Post("/v1/messages", second, ("anthropic-version", "2023-06-01")));

        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        var replayed = host.Upstream.MessagesRequests[1].Body.GetProperty("messages")[1].GetProperty("content");
        Assert.Equal(["thinking", "redacted_thinking", "server_tool_use", "web_search_tool_result", "text"],
            replayed.EnumerateArray().Select(b => b.GetProperty("type").GetString()!).ToArray());
        Assert.Equal("EqQBsig-upstream==", replayed[0].GetProperty("signature").GetString());
        Assert.Equal("EmwKAhgBEgyRedacted", replayed[1].GetProperty("data").GetString());
        Assert.Equal("invoice 4217", replayed[2].GetProperty("input").GetProperty("query").GetString());
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(SearchResult).RootElement, replayed[3]));
    }

    /// <summary>The message's content blocks built from the stream as a client SDK builds them (input from its deltas).</summary>
    private static async Task<JsonElement> StreamedContentAsync(HttpResponseMessage response)
    {
        var blocks = new SortedDictionary<int, Dictionary<string, JsonElement>>();
        var inputs = new Dictionary<int, string>();
        await foreach (var e in SseEvent.ReadAllAsync(await response.Content.ReadAsStreamAsync()))
        {
            var data = e.Json;
            switch (e.Name)
            {
                case "content_block_start":
                    var index = data.GetProperty("index").GetInt32();
                    blocks[index] = data.GetProperty("content_block").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
                    break;
                case "content_block_delta":
                    var at = data.GetProperty("index").GetInt32();
                    var delta = data.GetProperty("delta");
                    var field = delta.GetProperty("type").GetString() switch
                    {
                        "text_delta" => "text",
                        "thinking_delta" => "thinking",
                        "signature_delta" => "signature",
                        _ => null,
                    };
                    if (field is not null)
                    {
                        blocks[at][field] = JsonSerializer.SerializeToElement(blocks[at][field].GetString() + delta.GetProperty(field).GetString());
                    }
                    else
                    {
                        inputs[at] = inputs.GetValueOrDefault(at, "") + delta.GetProperty("partial_json").GetString();
                    }

                    break;
                case "error":
                    Assert.Fail(e.Data);
                    break;
            }
        }

        foreach (var (index, input) in inputs)
        {
            blocks[index]["input"] = JsonDocument.Parse(input).RootElement.Clone();
        }

        return JsonSerializer.SerializeToElement(blocks.Values.ToList());
    }
}
