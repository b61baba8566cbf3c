using System.Text;
using Switchboard.Canonical;
using Switchboard.Egress.Anthropic;

namespace Switchboard.Tests.Egress.Anthropic;

public sealed class MessagesContentReaderTests
{
    private static (MessageResponse Message, MessagesContentReader Reader) ReadEvents(params string[] data) => ReadEvents(rawCapable: true, data);

    private static (MessageResponse Message, MessagesContentReader Reader) ReadEvents(bool rawCapable, params string[] data)
    {
        var accumulator = new MessageAccumulator();
        var assembler = new StreamAssembler(rawCapable ? accumulator : new NoRawBlocks(accumulator));
        assembler.Start("msg_sb", "public", default);
        var reader = new MessagesContentReader(assembler);
        foreach (var d in data)
        {
            var bytes = Encoding.UTF8.GetBytes(d);
            reader.OnEvent(bytes, MessagesEvent.Scan(bytes), "up");
        }

        assembler.Complete();
        return (accumulator.ToResponse(), reader);
    }

    [Fact]
    public void Thinking_keeps_the_upstreams_signature_blocks_stay_apart_and_usage_and_stop_reason_are_read()
    {
        var (message, reader) = ReadEvents(
            """{"type":"message_start","message":{"usage":{"input_tokens":10,"cache_read_input_tokens":90,"cache_creation_input_tokens":5,"output_tokens":1}}}""",
            """{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}""",
            """{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"One."}}""",
            """{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"SIG1"}}""",
            """{"type":"content_block_stop","index":0}""",
            """{"type":"content_block_start","index":1,"content_block":{"type":"thinking","thinking":"","signature":""}}""",
            """{"type":"content_block_delta","index":1,"delta":{"type":"thinking_delta","thinking":"Two."}}""",
            """{"type":"content_block_delta","index":1,"delta":{"type":"signature_delta","signature":"SIG2"}}""",
            """{"type":"content_block_stop","index":1}""",
            """{"type":"content_block_start","index":2,"content_block":{"type":"redacted_thinking","data":"xyz"}}""",
            """{"type":"content_block_stop","index":2}""",
            """{"type":"content_block_start","index":3,"content_block":{"type":"text","text":""}}""",
            """{"type":"content_block_delta","index":3,"delta":{"type":"text_delta","text":"Hi"}}""",
            """{"type":"content_block_stop","index":3}""",
            """{"type":"content_block_start","index":4,"content_block":{"type":"tool_use","id":"toolu_1","name":"f","input":{}}}""",
            """{"type":"content_block_delta","index":4,"delta":{"type":"input_json_delta","partial_json":"{\"a\":"}}""",
            """{"type":"content_block_delta","index":4,"delta":{"type":"input_json_delta","partial_json":"1}"}}""",
            """{"type":"content_block_stop","index":4}""",
            """{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":40}}""",
            """{"type":"message_stop"}""");

        Assert.Equal(
            [new ThinkingBlock("One.", "SIG1"), new ThinkingBlock("Two.", "SIG2"), new RawBlock("anthropic", "redacted_thinking", """{"type":"redacted_thinking","data":"xyz"}"""),
                new TextBlock("Hi"), new ToolUseBlock("toolu_1", "f", """{"a":1}""")],
            message.Content);
        Assert.Equal(StopReason.ToolUse, message.StopReason);
        Assert.Equal(new Usage(10, 40, 90, 5), message.Usage);
        Assert.Null(reader.SkippedBlocks);
        Assert.True(reader.SawStop);
    }

    [Fact]
    public void An_error_event_throws_the_upstreams_error_with_its_type_and_without_its_address()
    {
        var failure = Assert.Throws<ApiException>(() => ReadEvents(
            """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded, see http://10.1.2.3/status"}}"""));

        Assert.Equal(ApiErrorKind.Overloaded, failure.Error.Kind);
        Assert.DoesNotContain("10.1.2.3", failure.Error.Message, StringComparison.Ordinal);
        Assert.Contains("Upstream 'up'", failure.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_streamed_server_tool_call_is_kept_whole_with_the_input_its_deltas_sent()
    {
        var (message, reader) = ReadEvents(
            """{"type":"message_start","message":{"usage":{"input_tokens":1,"output_tokens":1}}}""",
            """{"type":"content_block_start","index":0,"content_block":{"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{}}}""",
            """{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\"query\":"}}""",
            """{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"\"oslo\"}"}}""",
            """{"type":"content_block_stop","index":0}""",
            """{"type":"content_block_start","index":1,"content_block":{"type":"web_search_tool_result","tool_use_id":"srvtoolu_1","content":[]}}""",
            """{"type":"content_block_stop","index":1}""",
            """{"type":"content_block_start","index":2,"content_block":{"type":"text","text":""}}""",
            """{"type":"content_block_delta","index":2,"delta":{"type":"text_delta","text":"Sunny."}}""",
            """{"type":"content_block_stop","index":2}""",
            """{"type":"message_stop"}""");

        Assert.Equal(
            [new RawBlock("anthropic", "server_tool_use", """{"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{"query":"oslo"}}"""),
                new RawBlock("anthropic", "web_search_tool_result", """{"type":"web_search_tool_result","tool_use_id":"srvtoolu_1","content":[]}"""),
                new TextBlock("Sunny.")],
            message.Content);
        Assert.Null(reader.SkippedBlocks);
    }

    [Fact]
    public void For_a_door_that_cannot_write_them_raw_blocks_are_left_out_and_named()
    {
        var (message, reader) = ReadEvents(
            rawCapable: false,
            """{"type":"message_start","message":{"usage":{"input_tokens":1,"output_tokens":1}}}""",
            """{"type":"content_block_start","index":0,"content_block":{"type":"redacted_thinking","data":"xyz"}}""",
            """{"type":"content_block_stop","index":0}""",
            """{"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}""",
            """{"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Hi"}}""",
            """{"type":"content_block_stop","index":1}""",
            """{"type":"message_stop"}""");

        Assert.Equal([new TextBlock("Hi")], message.Content);
        Assert.Equal(["redacted_thinking"], reader.SkippedBlocks);
    }

    /// <summary>A sink of a dialect without raw blocks (the OpenAI doors' writers are such sinks).</summary>
    private sealed class NoRawBlocks(IMessageStreamSink inner) : IMessageStreamSink
    {
        public void OnMessageStart(string messageId, string model, Usage usage) => inner.OnMessageStart(messageId, model, usage);

        public void OnBlockStart(int index, BlockKind kind, string? toolUseId, string? toolName) => inner.OnBlockStart(index, kind, toolUseId, toolName);

        public void OnDelta(int index, DeltaKind kind, ReadOnlySpan<char> value) => inner.OnDelta(index, kind, value);

        public void OnBlockStop(int index) => inner.OnBlockStop(index);

        public void OnMessageDelta(StopReason stopReason, string? stopSequence, Usage usage) => inner.OnMessageDelta(stopReason, stopSequence, usage);

        public void OnMessageStop() => inner.OnMessageStop();

        public void OnPing() => inner.OnPing();

        public void OnError(ApiError error) => inner.OnError(error);
    }
}
