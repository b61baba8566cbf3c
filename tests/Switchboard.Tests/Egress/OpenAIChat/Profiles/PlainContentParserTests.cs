using Switchboard.Egress.OpenAIChat.Profiles;

namespace Switchboard.Tests.Egress.OpenAIChat.Profiles;

public sealed class PlainContentParserTests
{
    [Fact]
    public void Everything_is_text_including_tags()
    {
        var target = new RecordingTarget();
        var parser = new PlainContentParser();

        parser.Append("  <think>x</think>", target);
        parser.Flush(target);

        Assert.Equal(["text:  <think>x</think>"], target.Segments);
    }
}
