using System.Runtime.InteropServices;
using System.Text.Json;

namespace Switchboard.Canonical;

/// <summary>
/// A documented estimate for when the model server cannot tokenize: about four characters per token for text,
/// tool definitions and tool inputs (the rule Anthropic's own clients use for their fallback), 1,600 tokens per
/// image, and a few tokens of chat-template overhead per turn. The pipeline's count when the model server cannot
/// tokenize, and what a key's input-token limit is charged at admission before the real count is known.
/// </summary>
public static class TokenEstimator
{
    private const int CharsPerToken = 4;
    private const int TokensPerImage = 1600;
    private const int TokensPerTurn = 4;

    public static int Estimate(MessageRequest request)
    {
        long chars = SystemLength(request);
        long tokens = 0;
        foreach (var tool in request.Tools)
        {
            var description = tool.DescriptionJson.ValueKind == JsonValueKind.String
                ? JsonStrings.Utf16Length(tool.DescriptionJson)
                : tool.Description?.Length ?? 0;
            chars += tool.Name.Length + description + RawLength(tool.InputSchema);
        }

        foreach (var tool in request.RawTools)
        {
            chars += RawLength(tool.Json);
        }

        foreach (var message in request.Messages)
        {
            tokens += TokensPerTurn;
            foreach (var block in message.Content)
            {
                Count(block, ref chars, ref tokens);
            }
        }

        return (int)Math.Min(int.MaxValue, tokens + ((chars + CharsPerToken - 1) / CharsPerToken));
    }

    /// <summary>The system prompt's length, from the client's blocks when they are kept (joined with one newline each).</summary>
    private static long SystemLength(MessageRequest request)
    {
        if (request.SystemBlocks is not { } blocks)
        {
            return request.System?.Length ?? 0;
        }

        long length = blocks.Count - 1;
        foreach (var block in blocks)
        {
            length += block.Length;
        }

        return length;
    }

    /// <summary>The schema's length as sent, without copying it out.</summary>
    private static int RawLength(JsonElement element) =>
        element.ValueKind == JsonValueKind.Undefined ? 0 : JsonMarshal.GetRawUtf8Value(element).Length;

    private static void Count(ContentBlock block, ref long chars, ref long tokens)
    {
        switch (block)
        {
            case TextBlock text:
                chars += text.Length;
                break;
            case ThinkingBlock thinking:
                chars += thinking.Thinking.Length;
                break;
            case ToolUseBlock toolUse:
                chars += toolUse.Name.Length + toolUse.InputJson.Length;
                break;
            case ToolResultBlock result:
                foreach (var inner in result.Content)
                {
                    Count(inner, ref chars, ref tokens);
                }

                break;
            case ImageBlock:
                tokens += TokensPerImage;
                break;
            case RawBlock { Pdf.Base64Data: { } pdf }:
                // A PDF's text is a small part of its bytes; the upstream's own count corrects this estimate.
                chars += pdf.Length / 8;
                break;
            case RawBlock raw:
                chars += raw.Json.Length;
                break;

        }
    }
}
