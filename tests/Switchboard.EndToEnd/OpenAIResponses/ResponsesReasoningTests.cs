using System.Text.Json;
using System.Text.Json.Nodes;
using OpenAI.Responses;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.FakeUpstream;

#pragma warning disable OPENAI001

namespace Switchboard.EndToEnd.OpenAIResponses;

/// <summary>
/// Reasoning items: the model's thinking as summary or raw content, sealed into <c>encrypted_content</c> when the
/// client includes it (Codex always does), and given back to the model when the client replays the item; a blob
/// that is not Switchboard's is left out, never refused. Raw model markup (profiles) becomes reasoning and
/// function_call items.
/// </summary>
public sealed class ResponsesReasoningTests
{
    private const string CodexShape = """
        "store":false,"include":["reasoning.encrypted_content"],"reasoning":{"summary":"auto"},"tool_choice":"auto","parallel_tool_calls":true,"prompt_cache_key":"s1"
        """;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_reasoning_item_with_encrypted_content_replayed_on_the_next_turn_reaches_the_model_as_its_earlier_reasoning(bool stream)
    {
        await using var host = await SwitchboardHost.StartAsync();
        host.Upstream.Enqueue(new ScriptedReply { Reasoning = "The user greets me; greet back.", Content = "Hello!", ChunkSize = 5, Usage = new ScriptedUsage { PromptTokens = 5, CompletionTokens = 20 } });
        host.Upstream.Enqueue(ScriptedReply.Text("Fine, thanks."));
        var first = $$"""{"model":"fake-model","stream":{{(stream ? "true" : "false")}},{{CodexShape}},"input":[{"type":"message","role":"user","content":[{"type":"input_text","text":"Hi"}]}]}""";

        var output = await OutputAsync(host, first, stream);

        var reasoning = output[0];
        Assert.Equal("reasoning", reasoning.GetProperty("type").GetString());
        Assert.StartsWith("rs_", reasoning.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("The user greets me; greet back.", reasoning.GetProperty("summary")[0].GetProperty("text").GetString());
        var blob = reasoning.GetProperty("encrypted_content").GetString()!;
        Assert.StartsWith("sbr1.", blob, StringComparison.Ordinal);
        Assert.DoesNotContain("greet", blob, StringComparison.Ordinal);
        Assert.Equal("Hello!", output[1].GetProperty("content")[0].GetProperty("text").GetString());

        // Codex's next request: the whole conversation, the reasoning item as received.
        var next = JsonNode.Parse(first)!.AsObject();
        next["stream"] = false;
        var input = next["input"]!.AsArray();
        input.Add(JsonNode.Parse(reasoning.GetRawText()));
        input.Add(JsonNode.Parse(output[1].GetRawText()));
        input.Add(JsonNode.Parse("""{"type":"message","role":"user","content":[{"type":"input_text","text":"How are you?"}]}"""));
        using var second = await ResponsesSdk.PostAsync(host, next.ToJsonString());

        Assert.Equal(System.Net.HttpStatusCode.OK, second.StatusCode);
        var assistant = UpstreamBody.Messages(host.Upstream.Requests[1].Body).Single(m => m.GetProperty("role").GetString() == "assistant");
        Assert.Equal("The user greets me; greet back.", assistant.GetProperty("reasoning_content").GetString());
        Assert.Equal("Hello!", UpstreamBody.Text(assistant));
    }

    [Fact]
    public async Task An_edited_or_foreign_blob_is_left_out_and_the_request_still_answers()
    {
        await using var host = await SwitchboardHost.StartAsync();
        host.Upstream.Enqueue(ScriptedReply.Text("Fine."));
        var body = $$"""
            {"model":"fake-model",{{CodexShape}},"input":[
              {"type":"message","role":"user","content":"Hi"},
              {"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"Secret plan from elsewhere."}],"content":null,"encrypted_content":"gAAAA-opaque-1"},
              {"type":"message","role":"assistant","content":[{"type":"output_text","text":"Hello!","annotations":[]}]},
              {"type":"message","role":"user","content":"How are you?"}]}
            """;

        using var response = await ResponsesSdk.PostAsync(host, body);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("Secret plan", host.Upstream.Requests[0].Body.GetRawText(), StringComparison.Ordinal);
        var assistant = UpstreamBody.Messages(host.Upstream.Requests[0].Body).Single(m => m.GetProperty("role").GetString() == "assistant");
        Assert.Equal("Hello!", UpstreamBody.Text(assistant));
    }

    [Fact]
    public async Task Without_a_summary_asked_the_thinking_is_raw_reasoning_text_and_without_include_no_blob()
    {
        await using var host = await SwitchboardHost.StartAsync();
        host.Upstream.Enqueue(new ScriptedReply { Reasoning = "Think.", Content = "Hi" });

        var output = await OutputAsync(host, """{"model":"fake-model","input":"Hi","stream":true}""", stream: true);

        Assert.Equal(JsonValueKind.Null, output[0].GetProperty("encrypted_content").ValueKind);
        Assert.Equal(0, output[0].GetProperty("summary").GetArrayLength());
        Assert.Equal("Think.", output[0].GetProperty("content")[0].GetProperty("text").GetString());
    }

    private const string Weather = """{"type":"function","name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}""";

    [Theory]
    [InlineData("gpt-oss", false)]
    [InlineData("gpt-oss", true)]
    [InlineData("qwen3-coder", false)]
    [InlineData("qwen3-coder", true)]
    public async Task Raw_model_markup_becomes_reasoning_and_function_call_items(string family, bool stream)
    {
        var c = FamilyCase.All[family];
        await using var host = await SwitchboardHost.StartAsync(new FakeServerOptions { Models = [c.UpstreamModel] }, ["--model", c.UpstreamModel], quickstartModel: false);
        host.Upstream.Enqueue(new ScriptedReply { Content = c.Raw, ChunkSize = 3 });
        var body = $$"""
            {"model":"{{c.UpstreamModel}}","stream":{{(stream ? "true" : "false")}},{{CodexShape}},"input":"What's the weather in Oslo?",
             "tools":[{{Weather}}]}
            """;

        var output = await OutputAsync(host, body, stream);

        var types = output.Select(i => i.GetProperty("type").GetString()).ToList();
        var expected = new[] { c.Thinking is null ? null : "reasoning", c.Text is null ? null : "message", "function_call" }.OfType<string>();
        Assert.Equal(expected, types);
        if (c.Thinking is not null)
        {
            Assert.Equal(c.Thinking, output[0].GetProperty("summary")[0].GetProperty("text").GetString());
        }

        var call = output[^1];
        Assert.Equal("get_weather", call.GetProperty("name").GetString());
        Assert.Equal("Oslo", JsonDocument.Parse(call.GetProperty("arguments").GetString()!).RootElement.GetProperty("city").GetString());
        Assert.StartsWith("call_", call.GetProperty("call_id").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("<", string.Concat(output.Where(i => i.GetProperty("type").GetString() == "message").Select(i => i.GetRawText())), StringComparison.Ordinal);
    }

    /// <summary>The output items: of the response object, or (streamed) of response.completed, checked against the done events.</summary>
    internal static async Task<List<JsonElement>> OutputAsync(SwitchboardHost host, string body, bool stream)
    {
        if (!stream)
        {
            using var response = await ResponsesSdk.PostAsync(host, body);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            return [.. ResponsesSdk.Parse(await response.Content.ReadAsStringAsync()).GetProperty("output").EnumerateArray()];
        }

        var events = await ResponsesSdk.StreamAsync(host, body);
        Assert.Equal("response.completed", events[^1].Name);
        var output = events[^1].Data.GetProperty("response").GetProperty("output").EnumerateArray().ToList();
        var done = events.Where(e => e.Name == "response.output_item.done").Select(e => e.Data.GetProperty("item").GetRawText());
        Assert.Equal(done, output.Select(i => i.GetRawText()));
        return output;
    }
}
