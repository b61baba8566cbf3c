using System.Text;
using System.Text.Json;
using Switchboard.Buffers;
using Switchboard.Canonical;
using Switchboard.Egress.Anthropic;

namespace Switchboard.Tests.Egress.Anthropic;

public sealed class AnthropicRequestWriterTests
{
    private static JsonElement Write(MessageRequest request, bool countOnly = false)
    {
        using var body = new BodyBuffer();
        AnthropicRequestWriter.Write(body, request, "upstream-model", countOnly);
        return JsonDocument.Parse(body.WrittenMemory.ToArray()).RootElement.Clone();
    }

    private static JsonElement Schema(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [Fact]
    public void A_tool_loop_with_thinking_is_written_in_messages_terms()
    {
        var request = new MessageRequest
        {
            Model = "public",
            MaxTokens = 300,
            System = "Be brief.",
            Stream = true,
            Temperature = 1.5,
            StopSequences = ["END"],
            UserId = "u1",
            Thinking = new ThinkingConfig(ThinkingMode.Enabled, 2048),
            Effort = "high",
            Tools = [new ToolDefinition("get_weather", "Weather", Schema("""{"type":"object","properties":{"city":{"type":"string"}}}"""))],
            ToolChoice = new ToolChoice(ToolChoiceKind.Tool, "get_weather", DisableParallelToolUse: true),
            Messages =
            [
                new Message(Role.User, [new TextBlock("Weather?"), new ImageBlock(null, null, "data:image/png;base64,iVBOR")]),
                new Message(Role.Assistant,
                [
                    new ThinkingBlock("mine", "sb-signature"),
                    new ThinkingBlock("theirs", "EqQB") { SignedBy = SignedBy.Upstream },
                    new RedactedThinkingBlock("EmwK"),
                    new ToolUseBlock("call_1", "get_weather", """{"city":"Oslo"}"""),
                ]),
                new Message(Role.User, [new ToolResultBlock("call_1", [new TextBlock("Sunny")], IsError: true)]),
            ],
        };

        var json = Write(request);

        Assert.Equal("upstream-model", json.GetProperty("model").GetString());
        Assert.Equal(300, json.GetProperty("max_tokens").GetInt32());
        Assert.Equal("Be brief.", json.GetProperty("system").GetString());
        Assert.True(json.GetProperty("stream").GetBoolean());
        Assert.Equal(1, json.GetProperty("temperature").GetDouble());
        Assert.Equal("END", json.GetProperty("stop_sequences")[0].GetString());
        Assert.Equal("u1", json.GetProperty("metadata").GetProperty("user_id").GetString());
        Assert.Equal("""{"type":"enabled","budget_tokens":2048}""", json.GetProperty("thinking").GetRawText());
        Assert.Equal("high", json.GetProperty("output_config").GetProperty("effort").GetString());
        Assert.Equal("""{"type":"tool","name":"get_weather","disable_parallel_tool_use":true}""", json.GetProperty("tool_choice").GetRawText());
        Assert.Equal("""{"type":"object","properties":{"city":{"type":"string"}}}""", json.GetProperty("tools")[0].GetProperty("input_schema").GetRawText());

        var messages = json.GetProperty("messages");
        Assert.Equal("""{"type":"base64","media_type":"image/png","data":"iVBOR"}""", messages[0].GetProperty("content")[1].GetProperty("source").GetRawText());
        var assistant = messages[1].GetProperty("content");
        Assert.Equal(3, assistant.GetArrayLength());
        Assert.Equal("""{"type":"thinking","thinking":"theirs","signature":"EqQB"}""", assistant[0].GetRawText());
        Assert.Equal("""{"type":"redacted_thinking","data":"EmwK"}""", assistant[1].GetRawText());
        Assert.Equal("""{"type":"tool_use","id":"call_1","name":"get_weather","input":{"city":"Oslo"}}""", assistant[2].GetRawText());
        Assert.Equal("""{"type":"tool_result","tool_use_id":"call_1","content":[{"type":"text","text":"Sunny"}],"is_error":true}""", messages[2].GetProperty("content")[0].GetRawText());
    }

    [Fact]
    public void A_turn_holding_only_thinking_the_upstream_cannot_take_is_left_out_and_raw_parts_go_as_sent()
    {
        var request = new MessageRequest
        {
            Model = "public",
            MaxTokens = null,
            RawTools = [new RawTool("anthropic", "web_search_20250305", Schema("""{"type":"web_search_20250305","name":"web_search"}"""))],
            Messages =
            [
                new Message(Role.User, [new TextBlock("Q1")]),
                new Message(Role.Assistant, [new ThinkingBlock("r", "") { Unsigned = true }]),
                new Message(Role.User, [new RawBlock("anthropic", "document", """{"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBER"}}""")]),
            ],
        };

        var json = Write(request);

        Assert.Equal(AnthropicRequestWriter.DefaultMaxTokens, json.GetProperty("max_tokens").GetInt32());
        Assert.Equal(2, json.GetProperty("messages").GetArrayLength());
        Assert.Equal("document", json.GetProperty("messages")[1].GetProperty("content")[0].GetProperty("type").GetString());
        Assert.Equal("""{"type":"web_search_20250305","name":"web_search"}""", json.GetProperty("tools")[0].GetRawText());
    }

    [Fact]
    public void A_count_body_has_no_budget_stream_or_sampling()
    {
        var json = Write(new MessageRequest { Model = "m", MaxTokens = 10, Stream = true, Temperature = 0.5, Messages = [new Message(Role.User, [new TextBlock("Hi")])] }, countOnly: true);

        Assert.False(json.TryGetProperty("max_tokens", out _));
        Assert.False(json.TryGetProperty("stream", out _));
        Assert.False(json.TryGetProperty("temperature", out _));
    }
}
