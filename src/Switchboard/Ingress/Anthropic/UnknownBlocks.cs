using System.Text.Json;
using Switchboard.Canonical;

namespace Switchboard.Ingress.Anthropic;

/// <summary>
/// Content block types Switchboard does not translate (new Claude Code blocks, server-tool history, tool
/// references). They are kept as raw JSON: an Anthropic-compatible upstream gets them as sent. For any other
/// upstream the lowering step passes a block with text on as that text and leaves any other out (clients add such
/// types often and a 400 would break them); either way <see cref="RawBlock.Note"/> records the decision.
/// </summary>
internal static class UnknownBlocks
{
    public const string Dialect = "anthropic";

    public static void PassOn(JsonElement type, JsonElement block, in FieldPath at, List<ContentBlock> into)
    {
        var typeName = type.GetString()!;
        var clipped = RequestReadNotes.Clip(typeName);
        var text = block.TryGetProperty("text", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        // A tool search's answer (Claude Code's ToolSearch): a model without tool search reads which tool it loaded.
        if (typeName == "tool_reference" && block.TryGetProperty("tool_name", out var tool) && tool.ValueKind == JsonValueKind.String)
        {
            into.Add(new RawBlock(Dialect, typeName, block.GetRawText())
            {
                FallbackText = $"Tool loaded: {tool.GetString()}",
                ToolReference = tool.GetString(),
                Note = $"{at}: tool_reference passed on as a line naming the tool",
            });
            return;
        }

        into.Add(new RawBlock(Dialect, typeName, block.GetRawText())
        {
            FallbackText = text,
            ServerTool = ServerToolHistoryReader.Read(typeName, block, at),
            Note = text is null
                ? $"{at}: content block type '{clipped}' is not translated and has no text; left out"
                : $"{at}: content block type '{clipped}' is not translated; passed on as its text",
        });
    }

    /// <summary>A block only an upstream that allows it may get (a PDF): any other refuses the request with <paramref name="refusal"/>.</summary>
    public static void Gated(JsonElement block, string type, ApiException refusal, List<ContentBlock> into, PdfSource? pdf = null) =>
        into.Add(new RawBlock(Dialect, type, block.GetRawText()) { Refusal = refusal.Message, Pdf = pdf });
}
