using Switchboard.Canonical;
using Switchboard.Egress.OpenAIChat.Profiles;

namespace Switchboard.Tests.Egress.OpenAIChat.Profiles;

public sealed class KimiK2ToolParserTests
{
    private const string Begin = "<|tool_calls_section_begin|>";
    private const string End = "<|tool_calls_section_end|>";

    private static string Call(string id, string json) =>
        $"<|tool_call_begin|>{id}<|tool_call_argument_begin|>{json}<|tool_call_end|>";

    public static TheoryData<string, string[]> Cases => new()
    {
        // Plain text, including things that look like markers.
        { "No tools needed.", ["text:No tools needed."] },
        { "Ends in <|tool_calls_sect", ["text:Ends in <|tool_calls_sect"] },
        { "<|tool_call_begin|> outside a section is text", ["text:<|tool_call_begin|> outside a section is text"] },

        // One call; the id is Kimi's own; the JSON is kept as written.
        { Begin + Call("functions.get_weather:0", "{\"city\": \"Paris\"}") + End, ["call 0 functions.get_weather:0 get_weather {\"city\": \"Paris\"}"] },

        // Two calls, whitespace between the markers, text before and after.
        {
            "Let me check both.\n" + Begin + "\n" + Call("functions.get_weather:0", "{\"city\":\"Paris\"}") + "\n"
                + Call("functions.get_weather:1", " {\"city\":\"Oslo\"} ") + "\n" + End + "\nDone.",
            [
                "text:Let me check both.",
                "call 0 functions.get_weather:0 get_weather {\"city\":\"Paris\"}",
                "call 1 functions.get_weather:1 get_weather {\"city\":\"Oslo\"}",
                "text:Done.",
            ]
        },

        // The singular section markers some checkpoints write; an id without the functions. prefix; no arguments.
        {
            "<|tool_call_section_begin|>" + Call("get_time:3", "") + "<|tool_call_section_end|>",
            ["call 0 get_time:3 get_time {}"]
        },

        // Typed arguments stay typed; arguments encoded twice are unwrapped.
        {
            Begin + Call("functions.get_weather:0", "{\"days\": 3, \"metric\": true, \"filter\": {\"max\": 5}, \"tags\": [\"a\"]}") + End,
            ["call 0 functions.get_weather:0 get_weather {\"days\": 3, \"metric\": true, \"filter\": {\"max\": 5}, \"tags\": [\"a\"]}"]
        },
        { Begin + Call("functions.f:0", "\"{\\\"a\\\": 1}\"") + End, ["call 0 functions.f:0 f {\"a\": 1}"] },

        // A call after the last one without a section end: the text after it is text.
        { Begin + Call("functions.f:0", "{}") + " Done.", ["call 0 functions.f:0 f {}", "text:Done."] },

        // Malformed markup is the text it was; a closed section counts only when it reads whole.
        { Begin + Call("functions.f:0", "{\"city\": Paris}") + End, ["text:" + Begin + Call("functions.f:0", "{\"city\": Paris}") + End] },
        { Begin + Call("functions.get_weather", "{}") + End, ["text:" + Begin + Call("functions.get_weather", "{}") + End] },
        { Begin + Call("functions.f:0", "[1, 2]") + End, ["text:" + Begin + Call("functions.f:0", "[1, 2]") + End] },
        {
            Begin + Call("functions.a:0", "{oops}") + Call("functions.b:1", "{}") + End,
            ["text:" + Begin + Call("functions.a:0", "{oops}") + Call("functions.b:1", "{}") + End]
        },
        { Begin + " nothing inside", ["text:" + Begin + " nothing inside"] },

        // Unterminated at the end: complete calls count, what is cut short is the raw markup, nothing lost.
        {
            "Sure. " + Begin + "<|tool_call_begin|>functions.get_weather:0<|tool_call_argument_begin|>{\"city\": \"Par",
            ["text:Sure. " + Begin + "<|tool_call_begin|>functions.get_weather:0<|tool_call_argument_begin|>{\"city\": \"Par"]
        },
        {
            Begin + Call("functions.f:0", "{}") + "<|tool_call_begin|>functions.g:1<|tool_call_argu",
            ["call 0 functions.f:0 f {}", "text:<|tool_call_begin|>functions.g:1<|tool_call_argu"]
        },

        // Unicode in text and arguments, including characters outside the BMP.
        {
            "東京？" + Begin + Call("functions.get_weather:0", "{\"city\": \"Zürich 🌍\"}") + End,
            ["text:東京？", "call 0 functions.get_weather:0 get_weather {\"city\": \"Zürich 🌍\"}"]
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Content_parses_the_same_however_it_is_chunked(string content, string[] expected)
    {
        ContentParserFeed.AssertEveryChunking(() => new KimiK2ToolParser([]), content, expected);
    }

    [Fact]
    public void Calls_are_sent_when_their_section_ends()
    {
        var target = new RecordingContentTarget();
        var parser = new KimiK2ToolParser([]);

        parser.Append("Checking " + Begin + Call("functions.f:0", "{}"), target);
        Assert.Equal(["text:Checking"], target.Entries);

        parser.Append(Call("functions.g:1", "{}") + End, target);
        Assert.Equal(["text:Checking", "call 0 functions.f:0 f {}", "call 1 functions.g:1 g {}"], target.Entries);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(int.MaxValue)]
    public void Calls_become_tool_use_blocks_with_ids_from_kimi(int chunkSize)
    {
        const string content = "Looking.\n" + Begin + "<|tool_call_begin|>functions.get_weather:0<|tool_call_argument_begin|>{\"city\": \"Paris\"}<|tool_call_end|>"
            + "<|tool_call_begin|>functions.read_file:1<|tool_call_argument_begin|>{\"path\": \"/a\", \"lines\": 10}<|tool_call_end|>" + End;

        var response = ContentParserFeed.Assemble(new KimiK2ToolParser([]), [.. content.Chunk(Math.Min(chunkSize, content.Length)).Select(c => new string(c))]);

        Assert.Equal(
            ["text:Looking.", "tool_use get_weather {\"city\":\"Paris\"}", "tool_use read_file {\"path\":\"/a\",\"lines\":10}"],
            response.Content.Select(ContentParserFeed.Describe));
        Assert.Equal(["toolu_functions_get_weather_0", "toolu_functions_read_file_1"], response.Content.OfType<ToolUseBlock>().Select(b => b.Id));
        Assert.Equal(StopReason.ToolUse, response.StopReason);
    }
}
