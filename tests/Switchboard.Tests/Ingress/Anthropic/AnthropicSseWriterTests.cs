using System.Buffers;
using System.Text;
using System.Text.Json;
using Switchboard.Canonical;
using Switchboard.Ingress.Anthropic;

namespace Switchboard.Tests.Ingress.Anthropic;

public sealed class AnthropicSseWriterTests
{
    private readonly ArrayBufferWriter<byte> _buffer = new();
    private readonly AnthropicSseWriter _writer;

    public AnthropicSseWriterTests() => _writer = new AnthropicSseWriter(_buffer, "req_test");

    private string Written => Encoding.UTF8.GetString(_buffer.WrittenSpan);

    [Fact]
    public void Writes_a_text_message_byte_for_byte()
    {
        _writer.OnMessageStart("msg_1", "my-model", new Usage(InputTokens: 10, OutputTokens: 1, CacheReadInputTokens: 3, CacheCreationInputTokens: 2));
        _writer.OnBlockStart(0, BlockKind.Text, null, null);
        _writer.OnPing();
        _writer.OnDelta(0, DeltaKind.Text, "Hi");
        _writer.OnBlockStop(0);
        _writer.OnMessageDelta(StopReason.EndTurn, null, new Usage(InputTokens: 10, OutputTokens: 5, CacheReadInputTokens: 3, CacheCreationInputTokens: 2));
        _writer.OnMessageStop();

        var expected =
            "event: message_start\n" +
            """data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"my-model","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":10,"cache_creation_input_tokens":2,"cache_read_input_tokens":3,"output_tokens":1}}}""" + "\n\n" +
            "event: content_block_start\n" +
            """data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""" + "\n\n" +
            "event: ping\n" +
            """data: {"type":"ping"}""" + "\n\n" +
            "event: content_block_delta\n" +
            """data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}""" + "\n\n" +
            "event: content_block_stop\n" +
            """data: {"type":"content_block_stop","index":0}""" + "\n\n" +
            "event: message_delta\n" +
            """data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"input_tokens":10,"cache_creation_input_tokens":2,"cache_read_input_tokens":3,"output_tokens":5}}""" + "\n\n" +
            "event: message_stop\n" +
            """data: {"type":"message_stop"}""" + "\n\n";
        Assert.Equal(expected, Written);
    }

    [Fact]
    public void Every_event_is_one_event_line_and_one_data_line_whose_type_is_the_event_name()
    {
        var usage = new Usage(1, 2, 3, 4);
        _writer.OnMessageStart("msg_1", "m", usage);
        _writer.OnBlockStart(0, BlockKind.Thinking, null, null);
        _writer.OnDelta(0, DeltaKind.Thinking, "hmm\nok");
        _writer.OnDelta(0, DeltaKind.Signature, "sig");
        _writer.OnBlockStop(0);
        _writer.OnBlockStart(1, BlockKind.Text, null, null);
        _writer.OnDelta(1, DeltaKind.Text, "line one\nline two");
        _writer.OnBlockStop(1);
        _writer.OnBlockStart(2, BlockKind.ToolUse, "toolu_1", "Bash");
        _writer.OnDelta(2, DeltaKind.InputJson, "{\"command\":\n\"ls\"}");
        _writer.OnBlockStop(2);
        _writer.OnPing();
        _writer.OnMessageDelta(StopReason.ToolUse, null, usage);
        _writer.OnMessageStop();
        _writer.OnError(new ApiError(ApiErrorKind.Api, "boom"));

        var frames = Written.Split("\n\n");
        Assert.Equal("", frames[^1]);
        string[] expectedNames =
        [
            "message_start", "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
            "content_block_start", "content_block_delta", "content_block_stop", "content_block_start",
            "content_block_delta", "content_block_stop", "ping", "message_delta", "message_stop", "error",
        ];
        Assert.Equal(expectedNames.Length, frames.Length - 1);
        for (var i = 0; i < expectedNames.Length; i++)
        {
            var lines = frames[i].Split('\n');
            Assert.Equal(2, lines.Length);
            Assert.Equal("event: " + expectedNames[i], lines[0]);
            Assert.StartsWith("data: ", lines[1], StringComparison.Ordinal);
            using var data = JsonDocument.Parse(lines[1]["data: ".Length..]);
            Assert.Equal(expectedNames[i], data.RootElement.GetProperty("type").GetString());
        }
    }

    [Theory]
    [InlineData(BlockKind.Text, null, null, """{"type":"text","text":""}""")]
    [InlineData(BlockKind.Thinking, null, null, """{"type":"thinking","thinking":"","signature":""}""")]
    [InlineData(BlockKind.ToolUse, "toolu_01", "get_weather", """{"type":"tool_use","id":"toolu_01","name":"get_weather","input":{}}""")]
    public void Block_start_carries_an_empty_block_of_its_kind(BlockKind kind, string? id, string? name, string block)
    {
        _writer.OnBlockStart(3, kind, id, name);

        Assert.Equal(
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":3,\"content_block\":" + block + "}\n\n",
            Written);
    }

    [Theory]
    [InlineData(DeltaKind.Text, """{"type":"text_delta","text":"v"}""")]
    [InlineData(DeltaKind.Thinking, """{"type":"thinking_delta","thinking":"v"}""")]
    [InlineData(DeltaKind.Signature, """{"type":"signature_delta","signature":"v"}""")]
    [InlineData(DeltaKind.InputJson, """{"type":"input_json_delta","partial_json":"v"}""")]
    public void Delta_has_the_wire_type_and_field_of_its_kind(DeltaKind kind, string delta)
    {
        _writer.OnDelta(7, kind, "v");

        Assert.Equal(
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":7,\"delta\":" + delta + "}\n\n",
            Written);
    }

    [Theory]
    [InlineData(StopReason.EndTurn, "end_turn")]
    [InlineData(StopReason.MaxTokens, "max_tokens")]
    [InlineData(StopReason.StopSequence, "stop_sequence")]
    [InlineData(StopReason.ToolUse, "tool_use")]
    [InlineData(StopReason.Refusal, "refusal")]
    [InlineData(StopReason.PauseTurn, "pause_turn")]
    [InlineData(StopReason.ModelContextWindowExceeded, "model_context_window_exceeded")]
    public void Message_delta_uses_the_wire_name_of_the_stop_reason(StopReason reason, string wire)
    {
        _writer.OnMessageDelta(reason, null, default);

        using var data = ParseSingleData();
        var delta = data.RootElement.GetProperty("delta");
        Assert.Equal(wire, delta.GetProperty("stop_reason").GetString());
        Assert.Equal(JsonValueKind.Null, delta.GetProperty("stop_sequence").ValueKind);
    }

    [Fact]
    public void Message_delta_carries_the_stop_sequence()
    {
        _writer.OnMessageDelta(StopReason.StopSequence, "</answer>", default);

        Assert.Contains("""
            "delta":{"stop_reason":"stop_sequence","stop_sequence":"</answer>"}
            """, Written, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_with_quotes_newlines_control_characters_and_unicode_round_trips()
    {
        const string text = "She said \"hi\"\\\r\nthen left\t\u0001 é 漢字 😀 <b>&amp;</b> \u2028";
        _writer.OnDelta(0, DeltaKind.Text, text);

        Assert.Equal(2, Written.TrimEnd('\n').Split('\n').Length);
        using var data = ParseSingleData();
        Assert.Equal(text, data.RootElement.GetProperty("delta").GetProperty("text").GetString());

        // Non-ASCII letters go out as UTF-8, not as \u escapes.
        Assert.Contains("é 漢字", Written, StringComparison.Ordinal);
    }

    [Fact]
    public void Error_event_carries_the_wire_type_message_and_request_id()
    {
        _writer.OnError(new ApiError(ApiErrorKind.Overloaded, "Overloaded"));

        Assert.Equal(
            "event: error\n" +
            """data: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_test"}""" + "\n\n",
            Written);
    }

    [Fact]
    public void Events_are_appended_to_what_the_buffer_already_holds()
    {
        _buffer.Write(": comment\n\n"u8);
        _writer.OnBlockStop(0);
        _writer.OnBlockStop(1);

        Assert.Equal(
            ": comment\n\n" +
            "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n" +
            "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":1}\n\n",
            Written);
    }

    private JsonDocument ParseSingleData()
    {
        var lines = Written.Split('\n');
        Assert.Equal(4, lines.Length);
        return JsonDocument.Parse(lines[1]["data: ".Length..]);
    }
}
