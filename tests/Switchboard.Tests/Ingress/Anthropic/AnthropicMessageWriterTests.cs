using System.Buffers;
using System.Text;
using System.Text.Json;
using Switchboard.Ingress;
using Switchboard.Canonical;
using Switchboard.Ingress.Anthropic;

namespace Switchboard.Tests.Ingress.Anthropic;

public sealed class AnthropicMessageWriterTests
{
    private static readonly Usage Usage = new(InputTokens: 4021, OutputTokens: 48, CacheReadInputTokens: 7, CacheCreationInputTokens: 3);

    [Fact]
    public void Writes_a_mixed_message_byte_for_byte()
    {
        var message = Message(
            [
                new ThinkingBlock("Plan.", "sig=="),
                new TextBlock("I'll list the files."),
                new ToolUseBlock("toolu_01", "Bash", """{"command": "ls -la", "n": [1, 2]}"""),
            ],
            StopReason.ToolUse);

        Assert.Equal(
            """{"id":"msg_1","type":"message","role":"assistant","model":"my-model","content":[""" +
            """{"type":"thinking","thinking":"Plan.","signature":"sig=="},""" +
            """{"type":"text","text":"I'll list the files."},""" +
            """{"type":"tool_use","id":"toolu_01","name":"Bash","input":{"command": "ls -la", "n": [1, 2]}}],""" +
            "\"stop_reason\":\"tool_use\",\"stop_sequence\":null," +
            "\"usage\":{\"input_tokens\":4021,\"cache_creation_input_tokens\":3,\"cache_read_input_tokens\":7,\"output_tokens\":48}}",
            Write(message));
    }

    [Fact]
    public void Empty_content_becomes_one_empty_text_block()
    {
        using var body = JsonDocument.Parse(Write(Message([], StopReason.EndTurn)));

        var content = body.RootElement.GetProperty("content");
        Assert.Equal(1, content.GetArrayLength());
        Assert.Equal("""{"type":"text","text":""}""", content[0].GetRawText());
    }

    [Theory]
    [InlineData(StopReason.EndTurn, null, "end_turn")]
    [InlineData(StopReason.MaxTokens, null, "max_tokens")]
    [InlineData(StopReason.StopSequence, "\n\nHuman:", "stop_sequence")]
    [InlineData(StopReason.Refusal, null, "refusal")]
    public void Stop_reason_and_stop_sequence_are_always_present(StopReason reason, string? sequence, string wire)
    {
        var message = new MessageResponse
        {
            Id = "msg_1",
            Model = "my-model",
            Content = [new TextBlock("x")],
            StopReason = reason,
            StopSequence = sequence,
            Usage = Usage,
        };

        using var body = JsonDocument.Parse(Write(message));

        Assert.Equal(wire, body.RootElement.GetProperty("stop_reason").GetString());
        var stopSequence = body.RootElement.GetProperty("stop_sequence");
        if (sequence is null)
        {
            Assert.Equal(JsonValueKind.Null, stopSequence.ValueKind);
        }
        else
        {
            Assert.Equal(sequence, stopSequence.GetString());
        }
    }

    [Fact]
    public void Text_is_escaped_and_round_trips()
    {
        const string text = "quote \" backslash \\ newline \n tab \t emoji 😀 é";
        using var body = JsonDocument.Parse(Write(Message([new TextBlock(text)], StopReason.EndTurn)));

        Assert.Equal(text, body.RootElement.GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public void Redacted_thinking_keeps_its_data()
    {
        using var body = JsonDocument.Parse(Write(Message([new RedactedThinkingBlock("opaque")], StopReason.EndTurn)));

        Assert.Equal("""{"type":"redacted_thinking","data":"opaque"}""", body.RootElement.GetProperty("content")[0].GetRawText());
    }

    [Fact]
    public void Tool_input_that_is_not_json_is_written_as_an_empty_object()
    {
        using var body = JsonDocument.Parse(Write(Message([new ToolUseBlock("toolu_1", "x", "{\"broken\": ")], StopReason.ToolUse)));

        Assert.Equal("{}", body.RootElement.GetProperty("content")[0].GetProperty("input").GetRawText());
    }

    private static MessageResponse Message(IReadOnlyList<ContentBlock> content, StopReason stopReason) => new()
    {
        Id = "msg_1",
        Model = "my-model",
        Content = content,
        StopReason = stopReason,
        Usage = Usage,
    };

    private static string Write(MessageResponse message)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, ClientJson.Writer))
        {
            AnthropicMessageWriter.Write(json, message);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
