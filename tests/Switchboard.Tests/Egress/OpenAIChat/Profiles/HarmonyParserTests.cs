using Switchboard.Egress.OpenAIChat.Profiles;

namespace Switchboard.Tests.Egress.OpenAIChat.Profiles;

public sealed class HarmonyParserTests
{
    [Fact]
    public void Analysis_streams_as_thinking_before_its_end_marker_arrives()
    {
        var target = new CallRecorder();
        var parser = new HarmonyParser();

        parser.Append("<|channel|>analysis<|message|>Step one, ", target);
        parser.Append("step two<|e", target);

        Assert.Equal(["thinking:Step one, ", "thinking:step two"], target.Pieces);
    }

    [Fact]
    public void A_tool_call_is_sent_once_its_body_is_complete()
    {
        var target = new CallRecorder();
        var parser = new HarmonyParser();

        parser.Append("<|channel|>commentary to=functions.get_weather <|constrain|>json<|message|>{\"city\":", target);
        Assert.Empty(target.Pieces);

        parser.Append("\"Oslo\"}<|call|>", target);
        Assert.Equal(["call:get_weather:{\"city\":\"Oslo\"}"], target.Pieces);
    }

    [Fact]
    public void A_header_cut_off_by_the_end_of_the_answer_is_dropped()
    {
        var target = new CallRecorder();
        var parser = new HarmonyParser();

        parser.Append("<|channel|>final<|message|>Done.<|end|><|start|>assistant<|chan", target);
        parser.Flush(target);

        Assert.Equal(["text:Done."], target.Pieces);
    }

    [Theory]
    [InlineData("<|channel|>commentary to=functions.get_weather <|constrain|>json", "commentary", "get_weather")]
    [InlineData(" to=functions.search<|channel|>commentary json", "commentary", "search")]
    [InlineData("assistant<|channel|>analysis", "analysis", null)]
    [InlineData("assistant to=browser.search<|channel|>analysis", "analysis", "browser.search")]
    [InlineData("<|channel|>final", "final", null)]
    public void Header_names_channel_and_recipient(string header, string channel, string? tool)
    {
        var parsed = HarmonyHeader.Parse(header);

        Assert.Equal(channel, parsed.Channel);
        Assert.Equal(tool, parsed.ToolName);
    }
}
