using Switchboard.Canonical;
using Switchboard.Egress.OpenAIChat.Profiles;

namespace Switchboard.Tests.Egress.OpenAIChat.Profiles;

public sealed class Glm45ToolParserTests
{
    private static readonly ToolDefinition[] Tools =
    [
        ContentParserFeed.Tool("get_weather", """
            {"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"},
             "metric":{"type":"boolean"},"filter":{"type":"object"}}}
            """),
        ContentParserFeed.Tool("write_file", """{"type":"object","properties":{"path":{"type":"string"},"content":{"type":"string"}}}"""),
    ];

    private const string Weather = "<tool_call>get_weather\n<arg_key>city</arg_key>\n<arg_value>Paris</arg_value>\n</tool_call>";

    public static TheoryData<string, string[]> Cases => new()
    {
        // Plain text, including things that look like the marker for a while.
        { "Just an answer.", ["text:Just an answer."] },
        { "a <tool_call without a bracket, and <tool_cal", ["text:a <tool_call without a bracket, and <tool_cal"] },
        { "Trailing space is dropped.\n", ["text:Trailing space is dropped."] },

        // The chat template's layout, and GLM-4.7's compact one.
        { Weather, ["call 0 - get_weather {\"city\":\"Paris\"}"] },
        {
            "<tool_call>get_weather<arg_key>city</arg_key><arg_value>Paris</arg_value></tool_call>",
            ["call 0 - get_weather {\"city\":\"Paris\"}"]
        },
        { "<tool_call>get_time\n</tool_call>", ["call 0 - get_time {}"] },
        { "<tool_call>get_time</tool_call>", ["call 0 - get_time {}"] },

        // Two calls: the whitespace between them and around them is no text block.
        {
            Weather + "\n" + "<tool_call>write_file\n<arg_key>path</arg_key>\n<arg_value>/tmp/a.txt</arg_value>\n"
                + "<arg_key>content</arg_key>\n<arg_value>line 1\nif (a < b && c > d) {}\n</arg_value>\n</tool_call>\n",
            [
                "call 0 - get_weather {\"city\":\"Paris\"}",
                "call 1 - write_file {\"path\":\"/tmp/a.txt\",\"content\":\"line 1\\nif (a < b && c > d) {}\\n\"}",
            ]
        },

        // Text before and after.
        { "Let me check the weather.\n" + Weather, ["text:Let me check the weather.", "call 0 - get_weather {\"city\":\"Paris\"}"] },
        { Weather + "\n\nIt is sunny.", ["call 0 - get_weather {\"city\":\"Paris\"}", "text:It is sunny."] },

        // Values typed by the schema; a declared string stays a string even when it looks like a number.
        {
            "<tool_call>get_weather\n<arg_key>city</arg_key>\n<arg_value>42</arg_value>\n<arg_key>days</arg_key>\n<arg_value>3</arg_value>\n"
                + "<arg_key>metric</arg_key>\n<arg_value>true</arg_value>\n<arg_key>filter</arg_key>\n<arg_value>{\"max\": 5}</arg_value>\n"
                + "<arg_key>undeclared</arg_key>\n<arg_value>7</arg_value>\n</tool_call>",
            ["call 0 - get_weather {\"city\":\"42\",\"days\":3,\"metric\":true,\"filter\":{\"max\":5},\"undeclared\":\"7\"}"]
        },

        // Malformed markup is the text it was.
        { "<tool_call>get weather now</tool_call> ok", ["text:<tool_call>get weather now</tool_call> ok"] },
        {
            "<tool_call>get_weather\n<arg_key>city</arg_key>\nParis\n</tool_call>",
            ["text:<tool_call>get_weather\n<arg_key>city</arg_key>\nParis\n</tool_call>"]
        },
        { "<tool_call>\n<arg_key>city</arg_key><arg_value>Paris</arg_value></tool_call>", ["text:<tool_call>\n<arg_key>city</arg_key><arg_value>Paris</arg_value></tool_call>"] },

        // Unterminated at the end: the raw markup, nothing lost.
        {
            "Sure.\n<tool_call>get_weather\n<arg_key>city</arg_key>\n<arg_value>Par",
            ["text:Sure.\n<tool_call>get_weather\n<arg_key>city</arg_key>\n<arg_value>Par"]
        },
        { Weather + "\n<tool_call>get_wea", ["call 0 - get_weather {\"city\":\"Paris\"}", "text:<tool_call>get_wea"] },

        // A region the answer never closed: a call that ends with a complete value counts (the server may have cut the
        // closing tag as a stop token); a bare name may be cut short and stays text.
        { "Sure.\n<tool_call>get_weather\n<arg_key>city</arg_key>\n<arg_value>Paris</arg_value>\n", ["text:Sure.", "call 0 - get_weather {\"city\":\"Paris\"}"] },
        { "<tool_call>get_weather", ["text:<tool_call>get_weather"] },

        // Unicode in text and values, including characters outside the BMP (which JSON text may write escaped).
        {
            "東京の天気は？\n<tool_call>get_weather\n<arg_key>city</arg_key>\n<arg_value>Zürich 🌍</arg_value>\n</tool_call>",
            ["text:東京の天気は？", "call 0 - get_weather {\"city\":\"Zürich \\uD83C\\uDF0D\"}"]
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Content_parses_the_same_however_it_is_chunked(string content, string[] expected)
    {
        ContentParserFeed.AssertEveryChunking(() => new Glm45ToolParser(Tools), content, expected);
    }

    [Fact]
    public void Text_streams_until_a_possible_marker_and_a_call_is_sent_when_it_closes()
    {
        var target = new RecordingContentTarget();
        var parser = new Glm45ToolParser(Tools);

        parser.Append("Checking <tool", target);
        Assert.Equal(["text:Checking"], target.Entries);

        parser.Append("_call>get_weather\n<arg_key>city</arg_key>\n<arg_value>Paris</arg_value>\n</tool_call", target);
        Assert.Equal(["text:Checking"], target.Entries);

        parser.Append(">", target);
        Assert.Equal(["text:Checking", "call 0 - get_weather {\"city\":\"Paris\"}"], target.Entries);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(int.MaxValue)]
    public void Calls_become_tool_use_blocks(int chunkSize)
    {
        const string content = "Let me look.\n" + Weather + "\n<tool_call>get_weather\n<arg_key>city</arg_key>\n<arg_value>Oslo</arg_value>\n"
            + "<arg_key>days</arg_key>\n<arg_value>2</arg_value>\n</tool_call>";

        var response = ContentParserFeed.Assemble(new Glm45ToolParser(Tools), [.. content.Chunk(Math.Min(chunkSize, content.Length)).Select(c => new string(c))]);

        Assert.Equal(
            ["text:Let me look.", "tool_use get_weather {\"city\":\"Paris\"}", "tool_use get_weather {\"city\":\"Oslo\",\"days\":2}"],
            response.Content.Select(ContentParserFeed.Describe));
        Assert.Equal(StopReason.ToolUse, response.StopReason);
        Assert.All(response.Content.OfType<ToolUseBlock>(), block => Assert.StartsWith("toolu_", block.Id));
    }
}
