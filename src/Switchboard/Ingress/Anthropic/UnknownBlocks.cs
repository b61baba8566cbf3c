using System.Text.Json;
using Switchboard.Canonical;

namespace Switchboard.Ingress.Anthropic;

/// <summary>
/// Content block types Switchboard does not translate (new Claude Code blocks, server-tool history, tool
/// references). Clients add such types often and a 400 would break them, so a block with text goes on as that
/// text and any other is left out; either way a note records the decision.
/// </summary>
internal static class UnknownBlocks
{
    public static void PassOn(JsonElement type, JsonElement block, in FieldPath at, List<ContentBlock> into, RequestReadNotes notes)
    {
        var typeName = RequestReadNotes.Clip(type.GetString()!);
        if (block.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String)
        {
            into.Add(new TextBlock(text.GetString()!));
            notes.Add($"{at}: content block type '{typeName}' is not translated; passed on as its text");
        }
        else
        {
            notes.Add($"{at}: content block type '{typeName}' is not translated and has no text; left out");
        }
    }
}
