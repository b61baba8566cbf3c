using System.Text.Encodings.Web;
using System.Text.Json;
using Switchboard.Canonical;
using Switchboard.Ingress.Anthropic;
using Switchboard.Egress.OpenAIChat.Profiles;

namespace Switchboard.Tests.Egress.OpenAIChat.Profiles;

/// <summary>Feeds a content parser the way upstream chunks arrive, and checks chunking never changes the result.</summary>
internal static class ContentParserFeed
{
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string[] Run(IContentParser parser, params string[] chunks)
    {
        var target = new RecordingContentTarget();
        foreach (var chunk in chunks)
        {
            parser.Append(chunk, target);
        }

        parser.Flush(target);
        return target.Entries;
    }

    /// <summary>
    /// The content whole, split in two at every offset, and one character at a time (which also splits surrogate
    /// pairs) must all give <paramref name="expected"/>.
    /// </summary>
    public static void AssertEveryChunking(Func<IContentParser> create, string content, string[] expected)
    {
        AssertSame(expected, Run(create(), content), "whole");
        for (var split = 0; split <= content.Length; split++)
        {
            AssertSame(expected, Run(create(), content[..split], content[split..]), $"split at {split}");
        }

        AssertSame(expected, Run(create(), [.. content.Select(c => c.ToString())]), "one character at a time");
    }

    private static void AssertSame(string[] expected, string[] actual, string how) =>
        Assert.True(expected.SequenceEqual(actual), $"{how}:\n  expected [{string.Join(" | ", expected)}]\n  actual   [{string.Join(" | ", actual)}]");

    /// <summary>Pushes the parser's output through a real assembler and returns the resulting message.</summary>
    public static MessageResponse Assemble(IContentParser parser, params string[] chunks)
    {
        var accumulator = new MessageAccumulator();
        using var signer = new AnthropicBlockSigner(accumulator, "0123456789abcdef0123456789abcdef"u8);
        var assembler = new StreamAssembler(signer);
        assembler.Start("msg_test", "model", default);
        foreach (var chunk in chunks)
        {
            parser.Append(chunk, assembler);
        }

        parser.Flush(assembler);
        assembler.Complete();
        return accumulator.ToResponse();
    }

    /// <summary>A block as a comparable line: <c>text:…</c> or <c>tool_use NAME {canonical input}</c>.</summary>
    public static string Describe(ContentBlock block) => block switch
    {
        TextBlock text => $"text:{text.Text}",
        ToolUseBlock tool => $"tool_use {tool.Name} {JsonSerializer.Serialize(JsonDocument.Parse(tool.InputJson).RootElement, Compact)}",
        _ => block.ToString()!,
    };

    public static ToolDefinition Tool(string name, string schemaJson)
    {
        using var schema = JsonDocument.Parse(schemaJson);
        return new ToolDefinition(name, null, schema.RootElement.Clone());
    }
}
