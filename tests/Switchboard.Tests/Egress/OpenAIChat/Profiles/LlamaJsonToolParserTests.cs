using Switchboard.Canonical;
using Switchboard.Egress.OpenAIChat.Profiles;

namespace Switchboard.Tests.Egress.OpenAIChat.Profiles;

public sealed class LlamaJsonToolParserTests
{
    private const string Weather = "{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\"}}";

    public static TheoryData<string, string[]> Cases => new()
    {
        // Plain text, exactly as written, including what could have started a call for a while.
        { "Hello!", ["text:Hello!"] },
        { " \n Indented answer.\n", ["text: \n Indented answer.\n"] },
        { "<b>bold</b>", ["text:<b>bold</b>"] },
        { "<|python", ["text:<|python"] },
        { "  ", ["text:  "] },

        // The whole message is a call: with "parameters" or "arguments", after <|python_tag|>, after blank lines.
        { Weather, ["call 0 - get_weather {\"city\": \"Paris\"}"] },
        { "{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}", ["call 0 - get_weather {\"city\": \"Paris\"}"] },
        { "<|python_tag|>" + Weather, ["call 0 - get_weather {\"city\": \"Paris\"}"] },
        { "\n\n<|python_tag|> " + Weather + "\n", ["call 0 - get_weather {\"city\": \"Paris\"}"] },
        { "{\"type\": \"function\", \"name\": \"get_time\", \"parameters\": {}}", ["call 0 - get_time {}"] },

        // Several calls joined by ';' (a trailing one is harmless).
        {
            Weather + "; {\"name\": \"get_time\", \"parameters\": {\"zone\": \"}\"}};",
            ["call 0 - get_weather {\"city\": \"Paris\"}", "call 1 - get_time {\"zone\": \"}\"}"]
        },

        // Typed arguments stay as the model typed them; arguments encoded twice are unwrapped.
        {
            "{\"name\": \"f\", \"parameters\": {\"days\": 3, \"metric\": true, \"filter\": {\"max\": 5}, \"tags\": [\"a\"]}}",
            ["call 0 - f {\"days\": 3, \"metric\": true, \"filter\": {\"max\": 5}, \"tags\": [\"a\"]}"]
        },
        { "{\"name\": \"f\", \"parameters\": \"{\\\"a\\\": 1}\"}", ["call 0 - f {\"a\": 1}"] },

        // Anything short of a message made only of calls is text, exactly as written.
        { "{\"answer\": 42}", ["text:{\"answer\": 42}"] },
        { "{\"name\": \"Bob\", \"age\": 3}", ["text:{\"name\": \"Bob\", \"age\": 3}"] },
        { Weather + " is how I would call it.", ["text:" + Weather + " is how I would call it."] },
        { "Call it like this: " + Weather, ["text:Call it like this: " + Weather] },
        { Weather + " " + Weather, ["text:" + Weather + " " + Weather] },
        { "{\"name\": \"f\", \"parameters\": {}, \"arguments\": {}}", ["text:{\"name\": \"f\", \"parameters\": {}, \"arguments\": {}}"] },
        { "{\"name\": \"f\", \"parameters\": [1]}", ["text:{\"name\": \"f\", \"parameters\": [1]}"] },
        { "{\"name\": \"f\", \"parameters\": {]}", ["text:{\"name\": \"f\", \"parameters\": {]}"] },
        { "<|python_tag|>brave_search.call(query=\"weather\")", ["text:<|python_tag|>brave_search.call(query=\"weather\")"] },

        // Unterminated at the end: the raw text, nothing lost.
        { "{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Par", ["text:{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Par"] },
        { Weather + "; {\"name\"", ["text:" + Weather + "; {\"name\""] },

        // Unicode in text and arguments, including characters outside the BMP.
        { "東京は晴れ 🌍", ["text:東京は晴れ 🌍"] },
        { "{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Zürich 🌍\"}}", ["call 0 - get_weather {\"city\": \"Zürich 🌍\"}"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Content_parses_the_same_however_it_is_chunked(string content, string[] expected)
    {
        ContentParserFeed.AssertEveryChunking(() => new LlamaJsonToolParser([]), content, expected);
    }

    [Fact]
    public void Text_that_cannot_start_a_call_streams_at_once()
    {
        var target = new RecordingContentTarget();
        var parser = new LlamaJsonToolParser([]);

        parser.Append("\nThe", target);
        Assert.Equal(["text:\nThe"], target.Entries);

        parser.Append(" answer {", target);
        Assert.Equal(["text:\nThe answer {"], target.Entries);
    }

    [Fact]
    public void Json_is_held_until_the_message_ends_or_it_stops_looking_like_calls()
    {
        var target = new RecordingContentTarget();
        var calls = new LlamaJsonToolParser([]);
        calls.Append(Weather, target);
        Assert.Empty(target.Entries);
        calls.Flush(target);
        Assert.Equal(["call 0 - get_weather {\"city\": \"Paris\"}"], target.Entries);

        target = new RecordingContentTarget();
        var text = new LlamaJsonToolParser([]);
        text.Append("{\"answer\": 42} because", target);
        Assert.Equal(["text:{\"answer\": 42} because"], target.Entries);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(int.MaxValue)]
    public void Calls_become_tool_use_blocks(int chunkSize)
    {
        const string content = "<|python_tag|>" + Weather + "; {\"name\": \"read_file\", \"parameters\": {\"path\": \"/a\", \"lines\": 10}}";

        var response = ContentParserFeed.Assemble(new LlamaJsonToolParser([]), [.. content.Chunk(Math.Min(chunkSize, content.Length)).Select(c => new string(c))]);

        Assert.Equal(
            ["tool_use get_weather {\"city\":\"Paris\"}", "tool_use read_file {\"path\":\"/a\",\"lines\":10}"],
            response.Content.Select(ContentParserFeed.Describe));
        Assert.Equal(StopReason.ToolUse, response.StopReason);
    }
}
