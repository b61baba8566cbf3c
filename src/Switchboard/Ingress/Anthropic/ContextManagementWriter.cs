using System.Text.Json;
using Switchboard.Canonical;

namespace Switchboard.Ingress.Anthropic;

/// <summary>
/// Writes the answer's <c>context_management</c> report: <c>{"applied_edits": [...]}</c>, each edit with its
/// <c>type</c>, what it cleared (<c>cleared_tool_uses</c> or <c>cleared_thinking_turns</c>) and
/// <c>cleared_input_tokens</c>, as Anthropic reports them in the message and in the final <c>message_delta</c>.
/// </summary>
public static class ContextManagementWriter
{
    /// <summary>Nothing when Switchboard did not edit the request itself (no edits asked, or the upstream did them).</summary>
    public static void Write(Utf8JsonWriter w, IReadOnlyList<AppliedContextEdit>? edits)
    {
        ArgumentNullException.ThrowIfNull(w);
        if (edits is null)
        {
            return;
        }

        w.WriteStartObject("context_management"u8);
        w.WriteStartArray("applied_edits"u8);
        foreach (var edit in edits)
        {
            w.WriteStartObject();
            w.WriteString("type"u8, edit.Type);
            w.WriteNumber(edit.Type == ClearThinkingEdit.Name ? "cleared_thinking_turns"u8 : "cleared_tool_uses"u8, edit.Cleared);
            w.WriteNumber("cleared_input_tokens"u8, edit.ClearedInputTokens);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>The token count's report: the count before the edits (<c>original_input_tokens</c>).</summary>
    public static void WriteOriginal(Utf8JsonWriter w, int? originalInputTokens)
    {
        ArgumentNullException.ThrowIfNull(w);
        if (originalInputTokens is { } original)
        {
            w.WriteStartObject("context_management"u8);
            w.WriteNumber("original_input_tokens"u8, original);
            w.WriteEndObject();
        }
    }
}
