using Switchboard.Egress.OpenAIChat.Profiles;

namespace Switchboard.Tests.Egress.OpenAIChat.Profiles;

public sealed class ToolMarkupOutputTests
{
    [Fact]
    public void Whitespace_next_to_a_call_or_at_the_end_is_dropped_and_other_whitespace_kept()
    {
        var target = new RecordingContentTarget();
        var output = new ToolMarkupOutput();

        output.Text("Intro  \n", target);
        output.Text("\n", target);
        output.Call(null, "a", "{}", target);
        output.Text(" \n", target);
        output.Call("id-1", "b", "{\"x\":1}", target);
        output.Text("\n After", target);
        output.Text(" text\n", target);
        output.Text("more \n", target);
        output.Flush();

        Assert.Equal(["text:Intro", "call 0 - a {}", "call 1 id-1 b {\"x\":1}", "text:After text\nmore"], target.Entries);
        Assert.Equal(2, output.CallCount);
    }

    [Fact]
    public void Trailing_whitespace_waits_only_for_the_next_text()
    {
        var target = new RecordingContentTarget();
        var output = new ToolMarkupOutput();

        output.Text("Hello \n", target);
        Assert.Equal(["text:Hello"], target.Entries);

        output.Text("world", target);
        Assert.Equal(["text:Hello \nworld"], target.Entries);
    }
}
