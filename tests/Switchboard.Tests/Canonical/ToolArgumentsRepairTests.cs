using System.Text.Json;
using Switchboard.Canonical;

namespace Switchboard.Tests.Canonical;

public sealed class ToolArgumentsRepairTests
{
    private const string RealArguments =
        "{\"location\": \"Paris, \\\"France\\\" \\u00e9\", \"days\": [1, -2.5e3, 0], \"units\": null,"
        + " \"detail\": {\"hourly\": true, \"alerts\": false}, \"note\": \"a\\nb\"}";

    [Theory]
    [InlineData("{\"location\": \"Par", "{\"location\": \"Par\"}")]
    [InlineData("{\"location\": \"Paris\", \"da", "{\"location\": \"Paris\"}")]
    [InlineData("{\"location\": \"Paris\",", "{\"location\": \"Paris\"}")]
    [InlineData("{\"location\":", "{}")]
    [InlineData("{\"a\": tru", "{}")]
    [InlineData("{\"a\": 1.", "{\"a\": 1}")]
    [InlineData("{\"a\": -", "{}")]
    [InlineData("{\"a\": 12", "{\"a\": 12}")]
    [InlineData("{\"a\": [1, 2", "{\"a\": [1, 2]}")]
    [InlineData("{\"a\": [1, {\"b", "{\"a\": [1, {}]}")]
    [InlineData("{\"a\": \"x\\", "{\"a\": \"x\"}")]
    [InlineData("{\"a\": \"x\\u00e", "{\"a\": \"x\"}")]
    [InlineData("{\"a\": 1 x}", "{\"a\": 1 }")]
    [InlineData("{\"a\": 1,}", "{\"a\": 1}")]
    [InlineData("{\"a\": 01}", "{\"a\": 0}")]
    [InlineData("{\"a\": 1} and more", "{\"a\": 1}")]
    [InlineData("{\"a\": \"line\nbreak\"}", "{\"a\": \"line\\nbreak\"}")]
    [InlineData("location=Paris", "{\"_raw\":\"location=Paris\"}")]
    [InlineData("  [1, 2] ", "{\"_raw\":\"[1, 2]\"}")]
    public void Broken_arguments_are_closed_at_the_last_valid_point(string raw, string expected)
    {
        var repaired = ToolArgumentsRepair.Repair(raw, out var changed);

        Assert.Equal(expected, repaired);
        AssertObject(repaired);
        Assert.True(changed);
    }

    [Theory]
    [InlineData("\"{\\\"path\\\":\\\"/tmp\\\"}\"", "{\"path\":\"/tmp\"}")]
    [InlineData("", "{}")]
    [InlineData("  \n", "{}")]
    public void Empty_and_double_encoded_arguments_become_objects_without_counting_as_repairs(string raw, string expected)
    {
        Assert.Equal(expected, ToolArgumentsRepair.Repair(raw, out var changed));
        Assert.False(changed);
    }

    [Theory]
    [InlineData(RealArguments)]
    [InlineData("{}")]
    [InlineData(" {\"a\" : [ ] , \"b\" : { } , \"c\" : \"\" } ")]
    public void Valid_objects_pass_unchanged_and_are_not_counted_as_repaired(string raw)
    {
        var repaired = ToolArgumentsRepair.Repair(raw, out var changed);

        Assert.Equal(raw.Trim(), repaired);
        Assert.False(changed);
    }

    [Fact]
    public void Truncated_at_every_character_the_arguments_parse_and_streaming_ends_as_the_whole_text_does()
    {
        for (var length = 0; length <= RealArguments.Length; length++)
        {
            var truncated = RealArguments[..length];
            var whole = ToolArgumentsRepair.Repair(truncated, out _);
            AssertObject(whole);

            // Streamed one character at a time, what goes out before the end is already a prefix of the final text.
            var streamed = new System.Text.StringBuilder();
            var repair = new ToolArgumentsRepair();
            foreach (var c in truncated)
            {
                repair.Append([c]);
                streamed.Append(repair.Ready);
                repair.Consumed();
            }

            repair.Finish();
            streamed.Append(repair.Ready);
            Assert.Equal(whole, streamed.ToString());
        }
    }

    [Fact]
    public void Valid_arguments_split_anywhere_stream_out_unchanged()
    {
        for (var split = 0; split <= RealArguments.Length; split++)
        {
            var repair = new ToolArgumentsRepair();
            repair.Append(RealArguments.AsSpan(0, split));
            var first = repair.Ready.ToString();
            repair.Consumed();
            repair.Append(RealArguments.AsSpan(split));
            repair.Finish();

            Assert.Equal(RealArguments, first + repair.Ready.ToString());
            Assert.False(repair.Repaired);
        }
    }

    [Fact]
    public void A_streamed_call_cut_short_sends_the_same_json_as_the_non_streamed_path_and_reports_the_repair()
    {
        for (var length = 0; length <= RealArguments.Length; length += 7)
        {
            var truncated = RealArguments[..length];

            var sink = new RecordingSink();
            var repairs = 0;
            {
                var assembler = new StreamAssembler(sink) { ToolArgumentsRepaired = () => repairs++ };
                assembler.Start("msg_1", "m", default);
                assembler.AppendToolCall(0, "call_1", "forecast", "");
                for (var i = 0; i < truncated.Length; i += 5)
                {
                    assembler.AppendToolCall(0, "call_1", "forecast", truncated.AsSpan(i, Math.Min(5, truncated.Length - i)));
                }

                assembler.Complete();
            }

            var accumulator = new MessageAccumulator();
            {
                var assembler = new StreamAssembler(accumulator);
                assembler.Start("msg_1", "m", default);
                assembler.AppendToolCall(0, "call_1", "forecast", truncated);
                assembler.Complete();
            }

            var streamed = sink.Joined(0, DeltaKind.InputJson);
            var whole = Assert.IsType<ToolUseBlock>(Assert.Single(accumulator.ToResponse().Content));
            Assert.Equal(ToolArgumentsRepair.Repair(truncated, out var changed), streamed);
            Assert.Equal(streamed, whole.InputJson);
            Assert.Equal(changed ? 1 : 0, repairs);
        }
    }

    [Fact]
    public void A_held_call_is_repaired_the_same_way_as_a_live_one()
    {
        var sink = new RecordingSink();
        var repairs = 0;
        {
            var assembler = new StreamAssembler(sink) { ToolArgumentsRepaired = () => repairs++ };
            assembler.Start("msg_1", "m", default);
            assembler.AppendToolCall(0, "call_1", "a", "{\"x\": 1}");
            assembler.AppendToolCall(1, "call_2", "b", "{\"location\": \"Par");
            assembler.AppendToolCall(2, "call_3", "c", "location=Paris");
            assembler.Complete();
        }

        Assert.Equal("{\"x\": 1}", sink.Joined(0, DeltaKind.InputJson));
        Assert.Equal("{\"location\": \"Par\"}", sink.Joined(1, DeltaKind.InputJson));
        Assert.Equal("{\"_raw\":\"location=Paris\"}", sink.Joined(2, DeltaKind.InputJson));
        Assert.Equal(2, repairs);
    }

    private static void AssertObject(string json)
    {
        using var document = JsonDocument.Parse(json);
        Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
    }
}
