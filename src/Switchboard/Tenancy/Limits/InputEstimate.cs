using System.Runtime.InteropServices;
using System.Text.Json;
using Switchboard.Canonical;

namespace Switchboard.Tenancy.Limits;

/// <summary>
/// The input-token estimate an admission charges before the real count is known: about four characters per token
/// over the system prompt, messages, tool definitions and tool calls, 1,600 tokens per image and a few per turn —
/// the same rule as the pipeline's fallback count, taken from the already parsed request without asking a
/// tokenizer (which would cost a round trip on every admission). It is corrected to the upstream's own count when
/// the request ends.
/// </summary>
public static class InputEstimate
{
    private const int CharsPerToken = 4;
    private const int TokensPerImage = 1600;
    private const int TokensPerTurn = 4;

    public static long Of(MessageRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        long chars = request.System?.Length ?? 0;
        long tokens = 0;
        foreach (var tool in request.Tools)
        {
            chars += tool.Name.Length + (tool.Description?.Length ?? 0) + RawLength(tool.InputSchema);
        }

        foreach (var message in request.Messages)
        {
            tokens += TokensPerTurn;
            foreach (var block in message.Content)
            {
                Count(block, ref chars, ref tokens);
            }
        }

        return tokens + ((chars + CharsPerToken - 1) / CharsPerToken);
    }

    /// <summary>The schema's length as sent, without copying it out.</summary>
    private static int RawLength(JsonElement element) =>
        element.ValueKind == JsonValueKind.Undefined ? 0 : JsonMarshal.GetRawUtf8Value(element).Length;

    private static void Count(ContentBlock block, ref long chars, ref long tokens)
    {
        switch (block)
        {
            case TextBlock text:
                chars += text.Text.Length;
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
        }
    }
}
