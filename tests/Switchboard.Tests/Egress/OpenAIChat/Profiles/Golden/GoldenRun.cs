using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using Switchboard.Canonical;
using Switchboard.Ingress.Anthropic;
using Switchboard.Egress.OpenAIChat.Profiles;
using Switchboard.Tests.Egress.OpenAIChat;

namespace Switchboard.Tests.Egress.OpenAIChat.Profiles.Golden;

/// <summary>
/// Runs raw model output through a profile's parser the ways an answer can arrive: one completion, a stream whose
/// body is cut anywhere, and text fed to the parser in arbitrary pieces. Results are the blocks as short lines.
/// </summary>
internal static partial class GoldenRun
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A non-streamed <c>chat.completion</c> whose message content is <paramref name="raw"/>.</summary>
    public static string[] Completion(string raw, IContentParser parser) =>
        Describe(StreamRun.Read(CompletionBody(raw), parser));

    public static string CompletionBody(string raw) =>
        $$"""{"id":"c1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":{{Encode(raw)}}},"finish_reason":"stop"}]}""";

    /// <summary>An SSE body with <paramref name="pieces"/> as content deltas, raw UTF-8 (non-ASCII unescaped).</summary>
    public static byte[] StreamBody(IEnumerable<string> pieces, string? reasoning = null, string? toolCalls = null)
    {
        var sse = new StringBuilder();
        sse.Append("""data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}""").Append("\n\n");
        if (reasoning is not null)
        {
            foreach (var piece in Chop(reasoning, 9))
            {
                sse.Append($$$"""data: {"choices":[{"index":0,"delta":{"reasoning_content":{{{Encode(piece)}}}}}]}""").Append("\n\n");
            }
        }

        foreach (var piece in pieces)
        {
            sse.Append($$$"""data: {"choices":[{"index":0,"delta":{"content":{{{Encode(piece)}}}}}]}""").Append("\n\n");
        }

        if (toolCalls is not null)
        {
            sse.Append($$$"""data: {"choices":[{"index":0,"delta":{"tool_calls":{{{toolCalls}}}}}]}""").Append("\n\n");
        }

        sse.Append("""data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}""").Append("\n\ndata: [DONE]\n\n");
        return Encoding.UTF8.GetBytes(sse.ToString());
    }

    public static async Task<string[]> StreamAsync(Stream body, IContentParser parser)
    {
        var result = await StreamRun.StreamAsync(body, parser);
        Assert.Null(result.Error);
        return Describe(result.Response);
    }

    /// <summary>Feeds <paramref name="pieces"/> to the parser directly (any char boundary, even inside a surrogate pair).</summary>
    public static string[] Direct(IEnumerable<string> pieces, IContentParser parser)
    {
        var sink = new RecordingSink();
        using var signer = new AnthropicBlockSigner(sink, StreamRun.Key);
        var assembler = new StreamAssembler(signer);
        assembler.Start("msg_test", "test-model", default);
        foreach (var piece in pieces)
        {
            parser.Append(piece, assembler);
        }

        parser.Flush(assembler);
        assembler.SetStop(StopReason.EndTurn, null);
        assembler.Complete();
        return Describe(sink.ToResponse());
    }

    /// <summary><see cref="MessageText.Describe"/> with every tool id shown as <c>toolu_*</c>, whoever made it.</summary>
    public static string[] Describe(MessageResponse response) =>
        [.. MessageText.Describe(response).Select(line => ToolId().Replace(line, "tool toolu_* "))];

    public static IEnumerable<string> Chop(string text, int size)
    {
        var start = 0;
        while (start < text.Length)
        {
            // Never between the halves of a surrogate pair: servers send whole characters in a delta.
            var end = Math.Min(text.Length, start + size);
            if (end < text.Length && char.IsHighSurrogate(text[end - 1]))
            {
                end++;
            }

            yield return text[start..end];
            start = end;
        }
    }

    private static string Encode(string text) => JsonSerializer.Serialize(text, Json);

    [GeneratedRegex("^tool toolu_[^ ]+ ")]
    private static partial Regex ToolId();
}
