using Switchboard.Egress.OpenAIChat.Profiles;

namespace Switchboard.Tests.Egress.OpenAIChat.Profiles;

public sealed class ThinkTagParserTests
{
    public static TheoryData<string, bool, string[]> Cases => new()
    {
        { "Just an answer.", false, ["text:Just an answer."] },
        { "<think>Plan.</think>Answer.", false, ["thinking:Plan.", "text:Answer."] },
        { "\n<think>\nPlan.\n</think>\n\nAnswer.", false, ["thinking:Plan.\n", "text:Answer."] },
        { "Before<think>mid</think>after", false, ["text:Before", "thinking:mid", "text:after"] },
        { "<think>a</think>b<think>c</think>d", false, ["thinking:a", "text:b", "thinking:c", "text:d"] },

        // Unclosed: the rest is thinking.
        { "<think>still going", false, ["thinking:still going"] },

        // No nesting: an inner <think> is thinking text, the first </think> closes, a stray </think> is dropped.
        { "<think>a<think>b</think>c</think>d", false, ["thinking:a<think>b", "text:cd"] },
        { "Visible</think>\n more", false, ["text:Visiblemore"] },

        // Things that look like tags for a while.
        { "a < b and <thinking> and </thin k>", false, ["text:a < b and <thinking> and </thin k>"] },
        { "<<think>x</think>", false, ["text:<", "thinking:x"] },
        { "x<", false, ["text:x<"] },
        { "x </thin", false, ["text:x </thin"] },
        { "<think>ab</thin", false, ["thinking:ab</thin"] },
        { "  \n ", false, [] },
        { "<think></think>", false, [] },

        // Templates that open thinking in the prompt: thinking until </think>; a repeated opening tag is consumed.
        { "Plan.\n</think>\n\nAnswer.", true, ["thinking:Plan.\n", "text:Answer."] },
        { "<think>\nPlan.</think>Answer.", true, ["thinking:Plan.", "text:Answer."] },
        { "Plan <think> more</think>Answer.", true, ["thinking:Plan <think> more", "text:Answer."] },
        { "Only thinking", true, ["thinking:Only thinking"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Whole_content_is_split_into_thinking_and_text(string content, bool startsInThinking, string[] expected)
    {
        Assert.Equal(expected, Parse(startsInThinking, content));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Split_at_every_offset_gives_the_same_result(string content, bool startsInThinking, string[] expected)
    {
        for (var split = 0; split <= content.Length; split++)
        {
            Assert.Equal(expected, Parse(startsInThinking, content[..split], content[split..]));
        }

        Assert.Equal(expected, Parse(startsInThinking, [.. content.Select(c => c.ToString())]));
    }

    [Fact]
    public void Possible_tag_is_held_only_while_it_could_still_be_one()
    {
        var target = new RecordingTarget();
        var parser = new ThinkTagParser();

        parser.Append("Hello <thi", target);
        Assert.Equal(["text:Hello "], target.Segments);

        parser.Append("s", target);
        Assert.Equal(["text:Hello <this"], target.Segments);
    }

    [Fact]
    public void Thinking_streams_before_the_closing_tag_arrives()
    {
        var target = new RecordingTarget();
        var parser = new ThinkTagParser();

        parser.Append("<think>Step one", target);

        Assert.Equal(["thinking:Step one"], target.Segments);
    }

    [Fact]
    public void Whitespace_after_the_closing_tag_is_trimmed_across_chunks_but_only_once()
    {
        var target = new RecordingTarget();
        var parser = new ThinkTagParser();

        foreach (var chunk in new[] { "<think>x</think>", "\n", "\n", "Answer", "\n\n", "More" })
        {
            parser.Append(chunk, target);
        }

        Assert.Equal(["thinking:x", "text:Answer\n\nMore"], target.Segments);
    }

    private static string[] Parse(bool startsInThinking, params string[] chunks)
    {
        var target = new RecordingTarget();
        var parser = new ThinkTagParser(startsInThinking);
        foreach (var chunk in chunks)
        {
            parser.Append(chunk, target);
        }

        parser.Flush(target);
        return target.Segments;
    }
}
