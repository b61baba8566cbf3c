using Switchboard.Egress.OpenAIChat.Profiles;
using Switchboard.Tests.Egress.OpenAIChat.Profiles.Golden;

namespace Switchboard.Tests.Egress.OpenAIChat.Profiles;

public sealed class LayeredContentParserTests
{
    [Fact]
    public void Calls_found_in_text_are_numbered_apart_from_the_servers_own()
    {
        var target = new CallRecorder();
        var parser = GoldenTools.Parser("qwen3");

        parser.Append("<tool_call>{\"name\":\"get_weather\",\"arguments\":{}}</tool_call>", target);
        parser.Flush(target);

        Assert.Equal([LayeredContentParser.FirstTextCallIndex], target.CallIndexes);
    }

    [Fact]
    public void Thinking_streams_through_the_tool_layer_untouched()
    {
        var target = new CallRecorder();
        var parser = GoldenTools.Parser("qwen3");

        parser.Append("<think>Step one", target);

        Assert.Equal(["thinking:Step one"], target.Pieces);
    }

    [Fact]
    public void A_reasoning_field_means_the_template_opened_thinking_for_nothing()
    {
        var target = new CallRecorder();
        var parser = GoldenTools.Parser("minimax-m2");

        parser.OnReasoningField();
        parser.Append("The answer.", target);
        parser.Flush(target);

        Assert.Equal(["text:The answer."], target.Pieces);
    }

    [Fact]
    public void Without_a_reasoning_field_the_template_opened_thinking()
    {
        var target = new CallRecorder();
        var parser = GoldenTools.Parser("minimax-m2");

        parser.Append("Planning", target);

        Assert.Equal(["thinking:Planning"], target.Pieces);
    }

    [Fact]
    public void Text_waits_only_while_it_could_still_open_a_tool_call()
    {
        var target = new CallRecorder();
        var parser = GoldenTools.Parser("hermes");

        parser.Append("Hello <tool_", target);
        Assert.Equal(["text:Hello"], target.Pieces);

        parser.Append("kit is here", target);
        Assert.Equal(["text:Hello", "text: <tool_kit is here"], target.Pieces);
    }

    [Fact]
    public void Without_tools_in_the_request_markup_stays_text()
    {
        var target = new CallRecorder();
        var parser = ProfileCatalog.Find("hermes")!.CreateParser(new Switchboard.Canonical.MessageRequest
        {
            Model = "m",
            MaxTokens = 10,
            Messages = [],
        });

        parser.Append("<tool_call>{\"name\":\"x\"}</tool_call>", target);
        parser.Flush(target);

        Assert.Equal(["text:<tool_call>{\"name\":\"x\"}</tool_call>"], target.Pieces);
    }
}
