using System.Text.Encodings.Web;
using System.Text.Json;

namespace Switchboard.Tests.Egress.OpenAIChat.Profiles.Golden;

/// <summary>
/// The same answer through a model server that parses the family's markup and through one that leaves it raw gives
/// the same Anthropic blocks. Blocks are compared with the whitespace at their edges trimmed (servers keep the
/// newlines around tags, Switchboard drops them) and tool input as compact JSON.
/// </summary>
public sealed class ParsedAndRawTests
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static TheoryData<string> Names => [.. ParsedAndRawCase.All.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Raw_and_parsed_streams_give_the_same_blocks(string name)
    {
        var c = ParsedAndRawCase.All[name];

        var raw = await GoldenRun.StreamAsync(new MemoryStream(GoldenRun.StreamBody(GoldenRun.Chop(c.Raw, 5))), Parser(c));
        var parsed = await GoldenRun.StreamAsync(
            new MemoryStream(GoldenRun.StreamBody(c.Content is null ? [] : GoldenRun.Chop(c.Content, 5), c.Reasoning, c.ToolCallsJson)),
            Parser(c));

        Assert.Equal(c.Expected, Normalize(raw));
        Assert.Equal(c.Expected, Normalize(parsed));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Raw_and_parsed_completions_give_the_same_blocks(string name)
    {
        var c = ParsedAndRawCase.All[name];
        var message = new Dictionary<string, object?> { ["role"] = "assistant", ["content"] = c.Content, ["reasoning_content"] = c.Reasoning };
        var parsedBody = $$$"""{"choices":[{"index":0,"message":{{{JsonSerializer.Serialize(message, Json)[..^1]}}},"tool_calls":{{{c.ToolCallsJson}}}},"finish_reason":"tool_calls"}]}""";

        var raw = GoldenRun.Describe(Switchboard.Tests.Egress.OpenAIChat.StreamRun.Read(GoldenRun.CompletionBody(c.Raw), Parser(c)));
        var parsed = GoldenRun.Describe(Switchboard.Tests.Egress.OpenAIChat.StreamRun.Read(parsedBody, Parser(c)));

        Assert.Equal(c.Expected, Normalize(raw));
        Assert.Equal(c.Expected, Normalize(parsed));
    }

    private static Switchboard.Egress.OpenAIChat.Profiles.IContentParser Parser(ParsedAndRawCase c) => GoldenTools.Parser(c.Profile, c.Thinking);

    private static string[] Normalize(string[] lines) => [.. lines.Select(NormalizeLine)];

    private static string NormalizeLine(string line)
    {
        if (line.StartsWith("tool ", StringComparison.Ordinal))
        {
            var at = line.IndexOf(": ", StringComparison.Ordinal);
            using var input = JsonDocument.Parse(line[(at + 2)..]);
            return line[..(at + 2)] + JsonSerializer.Serialize(input.RootElement, Json);
        }

        var colon = line.IndexOf(": ", StringComparison.Ordinal);
        return colon < 0 ? line : line[..(colon + 2)] + line[(colon + 2)..].Trim();
    }
}
