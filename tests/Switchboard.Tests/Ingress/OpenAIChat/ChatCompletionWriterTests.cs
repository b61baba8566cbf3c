using System.Buffers;
using System.Text;
using System.Text.Json;
using Switchboard.Ingress;
using Switchboard.Canonical;
using Switchboard.Ingress.OpenAIChat;

namespace Switchboard.Tests.Ingress.OpenAIChat;

public sealed class ChatCompletionWriterTests
{
    [Fact]
    public void Writes_a_text_answer_byte_for_byte()
    {
        var message = Message([new TextBlock("Hello"), new TextBlock(" world")], StopReason.EndTurn, new Usage(10, 5, 3, 2));

        Assert.Equal(
            """{"id":"chatcmpl-abc","object":"chat.completion","created":1700000000,"model":"my-model","system_fingerprint":"fp_switchboard","choices":[{"index":0,"message":{"role":"assistant","content":"Hello world","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":15,"completion_tokens":5,"total_tokens":20,"prompt_tokens_details":{"cached_tokens":3},"completion_tokens_details":{"reasoning_tokens":0}}}""",
            Write(message, alsoSendReasoning: false));
    }

    [Fact]
    public void Tool_calls_only_have_null_content_call_ids_and_arguments_as_a_string()
    {
        var message = Message(
            [new ToolUseBlock("functions.get_weather:0", "get_weather", """{"city":"Paris"}"""), new ToolUseBlock("", "noop", "")],
            StopReason.ToolUse,
            new Usage(1, 2, 0, 0));

        var choice = JsonDocument.Parse(Write(message, alsoSendReasoning: false)).RootElement.GetProperty("choices")[0];
        var m = choice.GetProperty("message");
        Assert.Equal(JsonValueKind.Null, m.GetProperty("content").ValueKind);
        Assert.Equal("tool_calls", choice.GetProperty("finish_reason").GetString());
        var calls = m.GetProperty("tool_calls");
        Assert.Equal("""{"id":"call_functions_get_weather_0","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}""", calls[0].GetRawText());
        Assert.StartsWith("call_", calls[1].GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("{}", calls[1].GetProperty("function").GetProperty("arguments").GetString());
    }

    [Fact]
    public void Thinking_is_reasoning_content_and_its_tokens_are_estimated_within_the_output()
    {
        var message = Message([new ThinkingBlock("abcdefgh", ""), new ThinkingBlock("ij", "s"), new TextBlock("Answer")], StopReason.EndTurn, new Usage(1, 9, 0, 0));

        var root = JsonDocument.Parse(Write(message, alsoSendReasoning: true)).RootElement;
        var m = root.GetProperty("choices")[0].GetProperty("message");
        Assert.Equal("abcdefghij", m.GetProperty("reasoning_content").GetString());
        Assert.Equal("abcdefghij", m.GetProperty("reasoning").GetString());
        Assert.Equal("Answer", m.GetProperty("content").GetString());
        Assert.Equal(3, root.GetProperty("usage").GetProperty("completion_tokens_details").GetProperty("reasoning_tokens").GetInt32());
    }

    [Fact]
    public void Reasoning_tokens_the_upstream_reported_are_passed_on_instead_of_the_estimate()
    {
        var message = Message([new ThinkingBlock("abcdefgh", ""), new TextBlock("Answer")], StopReason.EndTurn, new Usage(1, 9, 0, 0, ReasoningTokens: 6));

        var root = JsonDocument.Parse(Write(message, alsoSendReasoning: true)).RootElement;

        Assert.Equal(6, root.GetProperty("usage").GetProperty("completion_tokens_details").GetProperty("reasoning_tokens").GetInt32());
    }

    [Theory]
    [InlineData(StopReason.EndTurn, "stop")]
    [InlineData(StopReason.StopSequence, "stop")]
    [InlineData(StopReason.PauseTurn, "stop")]
    [InlineData(StopReason.MaxTokens, "length")]
    [InlineData(StopReason.ModelContextWindowExceeded, "length")]
    [InlineData(StopReason.ToolUse, "tool_calls")]
    [InlineData(StopReason.Refusal, "content_filter")]
    public void Finish_reasons_are_only_openai_values(StopReason reason, string expected)
    {
        var root = JsonDocument.Parse(Write(Message([], reason, default), alsoSendReasoning: false)).RootElement;
        Assert.Equal(expected, root.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal("", root.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    private static MessageResponse Message(IReadOnlyList<ContentBlock> content, StopReason stop, Usage usage) => new()
    {
        Id = "msg_abc",
        Model = "my-model",
        Content = content,
        StopReason = stop,
        Usage = usage,
    };

    private static string Write(MessageResponse message, bool alsoSendReasoning)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, ClientJson.Writer))
        {
            ChatCompletionWriter.Write(writer, message, 1_700_000_000, alsoSendReasoning);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
