using Switchboard.Canonical;
using Switchboard.Egress.OpenAIChat.Profiles;

namespace Switchboard.Tests.Egress.OpenAIChat.Profiles;

public sealed class MistralToolParserTests
{
    public static TheoryData<string, string[]> Cases => new()
    {
        // Plain text, including things that look like the marker.
        { "Hello there.", ["text:Hello there."] },
        { "Brackets [TOOL] and [x] stay, and [TOOL_CALL", ["text:Brackets [TOOL] and [x] stay, and [TOOL_CALL"] },

        // v11 and later: NAME[ARGS]{…}, one marker per call, optionally with Mistral's own call id.
        { "[TOOL_CALLS]get_weather[ARGS]{\"city\": \"Paris\"}", ["call 0 - get_weather {\"city\": \"Paris\"}"] },
        { "[TOOL_CALLS]get_weather[CALL_ID]abc123XYZ[ARGS]{\"city\": \"Paris\"}", ["call 0 abc123XYZ get_weather {\"city\": \"Paris\"}"] },
        {
            "[TOOL_CALLS]get_time[ARGS]{}[TOOL_CALLS]search[ARGS]{\"q\": \"a } b\", \"filters\": {\"tags\": [\"x\", \"]\"]}}",
            ["call 0 - get_time {}", "call 1 - search {\"q\": \"a } b\", \"filters\": {\"tags\": [\"x\", \"]\"]}}"]
        },

        // Servers that drop [ARGS] leave the JSON right after the name.
        { "[TOOL_CALLS]get_weather{\"city\":\"Paris\"}", ["call 0 - get_weather {\"city\":\"Paris\"}"] },

        // Before v11: one marker, then a JSON array of calls.
        {
            "[TOOL_CALLS] [{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}, {\"name\": \"get_time\", \"arguments\": {}, \"id\": \"a1b2c3d4e\"}]",
            ["call 0 - get_weather {\"city\": \"Paris\"}", "call 1 a1b2c3d4e get_time {}"]
        },
        { "[TOOL_CALLS][{\"name\": \"f\", \"arguments\": \"{\\\"a\\\": 1}\"}, {\"name\": \"g\"}]", ["call 0 - f {\"a\": 1}", "call 1 - g {}"] },

        // Text before and after.
        { "Sure, checking. [TOOL_CALLS]get_time[ARGS]{}", ["text:Sure, checking.", "call 0 - get_time {}"] },
        { "[TOOL_CALLS]get_time[ARGS]{}\n\nDone.", ["call 0 - get_time {}", "text:Done."] },

        // Typed arguments stay as the model typed them.
        {
            "[TOOL_CALLS]get_weather[ARGS]{\"days\": 3, \"metric\": true, \"filter\": {\"max\": 5}}",
            ["call 0 - get_weather {\"days\": 3, \"metric\": true, \"filter\": {\"max\": 5}}"]
        },

        // Malformed markup is the text it was.
        { "[TOOL_CALLS]get_weather[ARGS]{\"city\": Paris}", ["text:[TOOL_CALLS]get_weather[ARGS]{\"city\": Paris}"] },
        { "[TOOL_CALLS]get_weather[ARGS][1]", ["text:[TOOL_CALLS]get_weather[ARGS][1]"] },
        { "The [TOOL_CALLS] token starts calls.", ["text:The [TOOL_CALLS] token starts calls."] },
        { "[TOOL_CALLS][TOOL_CALLS]f[ARGS]{}", ["text:[TOOL_CALLS]", "call 0 - f {}"] },
        { "[TOOL_CALLS] [{\"arguments\": {}}]", ["text:[TOOL_CALLS] [{\"arguments\": {}}]"] },
        { "[TOOL_CALLS] []", ["text:[TOOL_CALLS] []"] },
        { "[TOOL_CALLS][{\"name\": \"f\", \"arguments\": [1]}]", ["text:[TOOL_CALLS][{\"name\": \"f\", \"arguments\": [1]}]"] },

        // Unterminated at the end: the raw markup, nothing lost.
        { "Sure.[TOOL_CALLS]get_weather[ARGS]{\"city\": \"Par", ["text:Sure.[TOOL_CALLS]get_weather[ARGS]{\"city\": \"Par"] },
        { "[TOOL_CALLS]get_wea", ["text:[TOOL_CALLS]get_wea"] },
        { "[TOOL_CALLS]f[ARGS]{}[TOOL_CALLS]g[AR", ["call 0 - f {}", "text:[TOOL_CALLS]g[AR"] },

        // Unicode in text and arguments, including characters outside the BMP.
        {
            "東京？[TOOL_CALLS]get_weather[ARGS]{\"city\": \"Zürich 🌍\"}",
            ["text:東京？", "call 0 - get_weather {\"city\": \"Zürich 🌍\"}"]
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Content_parses_the_same_however_it_is_chunked(string content, string[] expected)
    {
        ContentParserFeed.AssertEveryChunking(() => new MistralToolParser([]), content, expected);
    }

    [Fact]
    public void A_possible_marker_is_held_only_while_it_could_still_be_one()
    {
        var target = new RecordingContentTarget();
        var parser = new MistralToolParser([]);

        parser.Append("See [TOOL_", target);
        Assert.Equal(["text:See"], target.Entries);

        parser.Append("BOX] here", target);
        Assert.Equal(["text:See [TOOL_BOX] here"], target.Entries);
    }

    [Fact]
    public void A_call_is_sent_when_its_json_closes()
    {
        var target = new RecordingContentTarget();
        var parser = new MistralToolParser([]);

        parser.Append("Checking [TOOL_CALLS]f[ARGS]{\"a\": {\"b\": 1}", target);
        Assert.Equal(["text:Checking"], target.Entries);

        parser.Append("}", target);
        Assert.Equal(["text:Checking", "call 0 - f {\"a\": {\"b\": 1}}"], target.Entries);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(6)]
    [InlineData(int.MaxValue)]
    public void Calls_become_tool_use_blocks(int chunkSize)
    {
        const string content = "Looking.[TOOL_CALLS]get_weather[ARGS]{\"city\": \"Paris\"}[TOOL_CALLS]read_file[ARGS]{\"path\": \"/a\", \"lines\": 10}";

        var response = ContentParserFeed.Assemble(new MistralToolParser([]), [.. content.Chunk(Math.Min(chunkSize, content.Length)).Select(c => new string(c))]);

        Assert.Equal(
            ["text:Looking.", "tool_use get_weather {\"city\":\"Paris\"}", "tool_use read_file {\"path\":\"/a\",\"lines\":10}"],
            response.Content.Select(ContentParserFeed.Describe));
        Assert.Equal(StopReason.ToolUse, response.StopReason);
    }
}
