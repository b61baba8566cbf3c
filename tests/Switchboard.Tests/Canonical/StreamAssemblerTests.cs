using Switchboard.Canonical;

namespace Switchboard.Tests.Canonical;

public sealed class StreamAssemblerTests
{
    private static readonly Usage StartUsage = new(InputTokens: 42, OutputTokens: 1, CacheReadInputTokens: 5, CacheCreationInputTokens: 0);
    private static readonly Usage FinalUsage = new(InputTokens: 42, OutputTokens: 17, CacheReadInputTokens: 5, CacheCreationInputTokens: 0);

    private readonly RecordingSink _sink = new();
    private readonly StreamAssembler _assembler;

    public StreamAssemblerTests()
    {
        _assembler = new StreamAssembler(_sink);
        _assembler.Start("msg_1", "test-model", StartUsage);
    }

    [Fact]
    public void Text_only_streams_one_text_block()
    {
        _assembler.AppendText("Hel");
        _assembler.AppendText("lo");
        _assembler.SetUsage(FinalUsage);
        _assembler.Complete();

        SinkEvent[] expected =
        [
            new MessageStarted("msg_1", "test-model", StartUsage),
            new BlockStarted(0, BlockKind.Text, null, null),
            new Delta(0, DeltaKind.Text, "Hel"),
            new Delta(0, DeltaKind.Text, "lo"),
            new BlockStopped(0),
            new MessageDelta(StopReason.EndTurn, null, FinalUsage),
            new MessageStopped(),
        ];
        Assert.Equal(expected, _sink.Events);
    }

    [Fact]
    public void Thinking_then_text_then_tool_get_indices_0_1_2_with_the_upstreams_tool_id_and_no_signature_of_its_own()
    {
        _assembler.AppendThinking("Let me ");
        _assembler.AppendThinking("think.");
        _assembler.AppendText("Calling.");
        _assembler.AppendToolCall(0, "call_1", "get_weather", "{\"city\":");
        _assembler.AppendToolCall(0, null, null, "\"Paris\"}");
        _assembler.SetUsage(FinalUsage);
        _assembler.Complete();

        SinkEvent[] expected =
        [
            new MessageStarted("msg_1", "test-model", StartUsage),
            new BlockStarted(0, BlockKind.Thinking, null, null),
            new Delta(0, DeltaKind.Thinking, "Let me "),
            new Delta(0, DeltaKind.Thinking, "think."),
            new BlockStopped(0),
            new BlockStarted(1, BlockKind.Text, null, null),
            new Delta(1, DeltaKind.Text, "Calling."),
            new BlockStopped(1),
            new BlockStarted(2, BlockKind.ToolUse, "call_1", "get_weather"),
            new Delta(2, DeltaKind.InputJson, "{"),
            new Delta(2, DeltaKind.InputJson, "\"city\":\"Paris\"}"),
            new BlockStopped(2),
            new MessageDelta(StopReason.ToolUse, null, FinalUsage),
            new MessageStopped(),
        ];
        Assert.Equal(expected, _sink.Events);
    }

    [Fact]
    public void Each_change_of_kind_opens_a_new_block()
    {
        _assembler.AppendText("a");
        _assembler.AppendThinking("b");
        _assembler.AppendThinking("c");
        _assembler.AppendText("d");
        _assembler.Complete();

        var blocks = _sink.Events.Where(e => e is BlockStarted or BlockStopped or Delta).ToArray();
        SinkEvent[] expected =
        [
            new BlockStarted(0, BlockKind.Text, null, null),
            new Delta(0, DeltaKind.Text, "a"),
            new BlockStopped(0),
            new BlockStarted(1, BlockKind.Thinking, null, null),
            new Delta(1, DeltaKind.Thinking, "b"),
            new Delta(1, DeltaKind.Thinking, "c"),
            new BlockStopped(1),
            new BlockStarted(2, BlockKind.Text, null, null),
            new Delta(2, DeltaKind.Text, "d"),
            new BlockStopped(2),
        ];
        Assert.Equal(expected, blocks);
    }

    [Fact]
    public void Interleaved_tool_calls_land_whole_each_in_its_own_block_in_order()
    {
        _assembler.AppendToolCall(0, "call_a", "read", "{\"pa");
        _assembler.AppendToolCall(1, "call_b", "list", "{\"di");
        _assembler.AppendToolCall(0, null, null, "th\":\"a.txt\"}");
        _assembler.AppendToolCall(1, null, null, "r\":\"/\"}");
        _assembler.Complete();

        var blocks = _sink.Events.Where(e => e is BlockStarted or BlockStopped or Delta).ToArray();
        SinkEvent[] expected =
        [
            new BlockStarted(0, BlockKind.ToolUse, "call_a", "read"),
            new Delta(0, DeltaKind.InputJson, "{"),
            new Delta(0, DeltaKind.InputJson, "\"path\":\"a.txt\"}"),
            new BlockStopped(0),
            new BlockStarted(1, BlockKind.ToolUse, "call_b", "list"),
            new Delta(1, DeltaKind.InputJson, "{\"dir\":\"/\"}"),
            new BlockStopped(1),
        ];
        Assert.Equal(expected, blocks);
        Assert.Equal(StopReason.ToolUse, _sink.Events.OfType<MessageDelta>().Single().StopReason);
    }

    [Fact]
    public void Tool_call_whose_name_arrives_later_opens_once_the_name_is_known()
    {
        _assembler.AppendText("Sure.");
        _assembler.AppendToolCall(0, "call_1", null, "{\"q\":");

        // Without a name the call cannot start yet, so the text block stays open.
        Assert.DoesNotContain(_sink.Events, e => e is BlockStopped);

        _assembler.AppendToolCall(0, null, "search", "1}");
        _assembler.Complete();

        var blocks = _sink.Events.Where(e => e is BlockStarted or BlockStopped or Delta).ToArray();
        SinkEvent[] expected =
        [
            new BlockStarted(0, BlockKind.Text, null, null),
            new Delta(0, DeltaKind.Text, "Sure."),
            new BlockStopped(0),
            new BlockStarted(1, BlockKind.ToolUse, "call_1", "search"),
            new Delta(1, DeltaKind.InputJson, "{\"q\":1}"),
            new BlockStopped(1),
        ];
        Assert.Equal(expected, blocks);
    }

    [Fact]
    public void Tool_calls_without_arguments_get_exactly_one_empty_object_delta()
    {
        _assembler.AppendToolCall(0, "call_1", "now", "");
        _assembler.AppendToolCall(1, "call_2", "later", "");
        _assembler.Complete();

        var deltas = _sink.Events.OfType<Delta>().ToArray();
        Delta[] expected = [new Delta(0, DeltaKind.InputJson, "{}"), new Delta(1, DeltaKind.InputJson, "{}")];
        Assert.Equal(expected, deltas);
    }

    [Fact]
    public void Tool_call_without_id_is_passed_on_without_one_for_the_front_door_to_name()
    {
        _assembler.AppendToolCall(0, null, "now", "{}");
        _assembler.Complete();

        var start = _sink.Events.OfType<BlockStarted>().Single();
        Assert.Null(start.ToolUseId);
    }

    [Fact]
    public void Text_after_a_tool_call_is_held_and_sent_after_it()
    {
        _assembler.AppendToolCall(0, "call_1", "run", "{\"a\":");
        _assembler.AppendText("I ran it.");
        _assembler.AppendToolCall(0, null, null, "1}");
        _assembler.Complete();

        var blocks = _sink.Events.Where(e => e is BlockStarted or BlockStopped or Delta).ToArray();
        SinkEvent[] expected =
        [
            new BlockStarted(0, BlockKind.ToolUse, "call_1", "run"),
            new Delta(0, DeltaKind.InputJson, "{"),
            new Delta(0, DeltaKind.InputJson, "\"a\":1}"),
            new BlockStopped(0),
            new BlockStarted(1, BlockKind.Text, null, null),
            new Delta(1, DeltaKind.Text, "I ran it."),
            new BlockStopped(1),
        ];
        Assert.Equal(expected, blocks);
    }

    [Fact]
    public void Tool_use_wins_over_the_upstream_stop_reason()
    {
        _assembler.AppendToolCall(0, "call_1", "run", "{}");
        _assembler.SetStop(StopReason.EndTurn, null);
        _assembler.Complete();

        Assert.Equal(StopReason.ToolUse, _sink.Events.OfType<MessageDelta>().Single().StopReason);
    }

    [Theory]
    [InlineData(null, null, StopReason.EndTurn, null)]
    [InlineData(StopReason.EndTurn, null, StopReason.EndTurn, null)]
    [InlineData(StopReason.MaxTokens, null, StopReason.MaxTokens, null)]
    [InlineData(StopReason.StopSequence, "###", StopReason.StopSequence, "###")]
    [InlineData(StopReason.EndTurn, "###", StopReason.EndTurn, null)]
    [InlineData(StopReason.Refusal, null, StopReason.Refusal, null)]
    [InlineData(StopReason.ModelContextWindowExceeded, null, StopReason.ModelContextWindowExceeded, null)]
    public void Stop_reason_and_sequence_come_from_the_upstream(StopReason? upstream, string? sequence, StopReason expected, string? expectedSequence)
    {
        _assembler.AppendText("x");
        if (upstream is { } reason)
        {
            _assembler.SetStop(reason, sequence);
        }

        _assembler.Complete();

        var delta = _sink.Events.OfType<MessageDelta>().Single();
        Assert.Equal(expected, delta.StopReason);
        Assert.Equal(expectedSequence, delta.StopSequence);
    }

    [Fact]
    public void Without_upstream_usage_output_is_estimated_and_input_comes_from_the_start()
    {
        _assembler.AppendText("abcdefghij");
        _assembler.Complete();

        var usage = _sink.Events.OfType<MessageDelta>().Single().Usage;
        Assert.Equal(new Usage(InputTokens: 42, OutputTokens: 3, CacheReadInputTokens: 5, CacheCreationInputTokens: 0), usage);
    }

    [Fact]
    public void Upstream_usage_replaces_the_estimate_and_the_last_report_wins()
    {
        _assembler.AppendText("abcdefghij");
        _assembler.SetUsage(new Usage(1, 2, 3, 4));
        _assembler.SetUsage(FinalUsage);
        _assembler.Complete();

        Assert.Equal(FinalUsage, _sink.Events.OfType<MessageDelta>().Single().Usage);
    }

    [Fact]
    public void Fail_after_start_sends_one_error_event_and_nothing_after()
    {
        var error = new ApiError(ApiErrorKind.Overloaded, "Overloaded");
        _assembler.AppendText("partial");
        _assembler.Fail(error);
        _assembler.AppendText("more");
        _assembler.AppendThinking("more");
        _assembler.AppendToolCall(0, "call_1", "run", "{}");
        _assembler.Fail(new ApiError(ApiErrorKind.Api, "second"));
        _assembler.Complete();

        SinkEvent[] expected =
        [
            new MessageStarted("msg_1", "test-model", StartUsage),
            new BlockStarted(0, BlockKind.Text, null, null),
            new Delta(0, DeltaKind.Text, "partial"),
            new Failed(error),
        ];
        Assert.Equal(expected, _sink.Events);
        Assert.True(_assembler.Finished);
    }

    [Fact]
    public void Complete_twice_sends_one_message_stop()
    {
        _assembler.AppendText("x");
        _assembler.Complete();
        var count = _sink.Events.Count;
        _assembler.Complete();

        Assert.Equal(count, _sink.Events.Count);
        Assert.Single(_sink.Events.OfType<MessageStopped>());
        Assert.Single(_sink.Events.OfType<MessageDelta>());
        Assert.IsType<MessageStopped>(_sink.Events[^1]);
    }

    [Fact]
    public void Accumulator_builds_the_mixed_message()
    {
        var accumulator = new MessageAccumulator();
        var assembler = new StreamAssembler(accumulator);
        assembler.Start("msg_9", "qwen3", StartUsage);
        assembler.AppendThinking("Plan ");
        assembler.AppendThinking("it.");
        assembler.AppendText("Here.");
        assembler.AppendToolCall(0, "call_1", "Bash", "{\"command\":");
        assembler.AppendToolCall(0, null, null, "\"ls\"}");
        assembler.SetUsage(FinalUsage);
        assembler.Complete();

        var response = accumulator.ToResponse();
        Assert.Null(accumulator.Error);
        Assert.Equal("msg_9", response.Id);
        Assert.Equal("qwen3", response.Model);
        Assert.Equal(StopReason.ToolUse, response.StopReason);
        Assert.Null(response.StopSequence);
        Assert.Equal(FinalUsage, response.Usage);
        Assert.Equal(3, response.Content.Count);
        var thinking = Assert.IsType<ThinkingBlock>(response.Content[0]);
        Assert.Equal("Plan it.", thinking.Thinking);
        Assert.Equal("", thinking.Signature);
        Assert.Equal(new TextBlock("Here."), response.Content[1]);
        Assert.Equal(new ToolUseBlock("call_1", "Bash", "{\"command\":\"ls\"}"), response.Content[2]);
    }

    [Fact]
    public void Held_tool_calls_are_normalized_malformed_to_empty_and_double_encoded_unwrapped()
    {
        var accumulator = new MessageAccumulator();
        var assembler = new StreamAssembler(accumulator);
        assembler.Start("msg_9", "qwen3", StartUsage);
        assembler.AppendToolCall(0, "call_live", "a", "{\"x\":1}");
        assembler.AppendToolCall(1, "call_bad", "b", "{\"broken\": ");
        assembler.AppendToolCall(2, "call_twice", "c", "\"{\\\"path\\\":\\\"/tmp\\\"}\"");
        assembler.Complete();

        var response = accumulator.ToResponse();
        ContentBlock[] expected =
        [
            new ToolUseBlock("call_live", "a", "{\"x\":1}"),
            new ToolUseBlock("call_bad", "b", "{}"),
            new ToolUseBlock("call_twice", "c", "{\"path\":\"/tmp\"}"),
        ];
        Assert.Equal(expected, response.Content);
    }
}
