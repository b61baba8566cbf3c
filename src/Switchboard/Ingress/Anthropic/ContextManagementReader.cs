using System.Text.Json;
using Switchboard.Canonical;
using static Switchboard.Ingress.Anthropic.RequestFields;

namespace Switchboard.Ingress.Anthropic;

/// <summary>
/// Reads <c>context_management</c> (context editing). Values are checked as the Messages API checks them, each 400
/// naming the field; keys Switchboard does not know inside an edit are ignored, like elsewhere in the body.
/// </summary>
internal static class ContextManagementReader
{
    private const string Strategies = "'clear_tool_uses_20250919', 'clear_thinking_20251015', 'compact_20260112'";

    public static ContextManagement? Read(JsonElement root, ThinkingConfig? thinking)
    {
        if (!TryGetObject(root, "context_management", FieldPath.Body, out var management))
        {
            return null;
        }

        var at = FieldPath.Root("context_management");
        if (!TryGetArray(management, "edits", at, out var array))
        {
            return new ContextManagement([]);
        }

        var edits = new List<ContextEdit>(array.GetArrayLength());
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var path = $"context_management.edits.{index}";
            var edit = ReadEdit(item, path);
            if (edits.Any(seen => seen.Type == edit.Type))
            {
                throw Invalid(path, $"Each context editing strategy may appear only once; `{edit.Type}` is repeated");
            }

            if (edit is ClearThinkingEdit thinkingEdit)
            {
                // Anthropic applies thinking clearing before anything else and requires it to be listed so.
                if (index > 0)
                {
                    throw Invalid(path, "`clear_thinking_20251015` must be the first strategy in `context_management.edits`");
                }

                // keep "all" changes nothing, so it is accepted without thinking (clients send it on every request).
                if (thinkingEdit.KeepTurns is not null && thinking?.Mode is not (ThinkingMode.Enabled or ThinkingMode.Adaptive))
                {
                    throw Invalid(path, "`clear_thinking_20251015` strategy requires `thinking` to be enabled or adaptive");
                }
            }

            edits.Add(edit);
            index++;
        }

        return new ContextManagement(edits);
    }

    private static ContextEdit ReadEdit(JsonElement item, string path)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(path, "Input should be an object");
        }

        if (!TryGet(item, "type", out var type))
        {
            throw Invalid($"{path}.type", "Field required");
        }

        if (type.ValueKind != JsonValueKind.String)
        {
            throw Invalid($"{path}.type", "Input should be a valid string");
        }

        if (type.ValueEquals(ClearToolUsesEdit.Name))
        {
            return ReadClearToolUses(item, path);
        }

        if (type.ValueEquals(ClearThinkingEdit.Name))
        {
            return new ClearThinkingEdit(ReadThinkingKeep(item, path));
        }

        if (type.ValueEquals("compact_20260112"))
        {
            return new UnsupportedContextEdit("compact_20260112");
        }

        throw Invalid($"{path}.type",
            $"Input tag '{RequestReadNotes.Clip(type.GetString()!)}' found using 'type' does not match any of the expected tags: {Strategies}");
    }

    private static ClearToolUsesEdit ReadClearToolUses(JsonElement item, string path)
    {
        var edit = new ClearToolUsesEdit();
        if (TryGet(item, "trigger", out var trigger))
        {
            var kind = Tagged(trigger, $"{path}.trigger", "'input_tokens' or 'tool_uses'", "input_tokens", "tool_uses");
            edit = edit with
            {
                Trigger = kind == "tool_uses" ? ContextTrigger.ToolUses : ContextTrigger.InputTokens,
                TriggerValue = Value(trigger, $"{path}.trigger", min: 1),
            };
        }

        if (TryGet(item, "keep", out var keep))
        {
            Tagged(keep, $"{path}.keep", "'tool_uses'", "tool_uses");
            edit = edit with { Keep = Value(keep, $"{path}.keep", min: 0) };
        }

        if (TryGet(item, "clear_at_least", out var atLeast))
        {
            Tagged(atLeast, $"{path}.clear_at_least", "'input_tokens'", "input_tokens");
            edit = edit with { ClearAtLeast = Value(atLeast, $"{path}.clear_at_least", min: 0) };
        }

        if (TryGet(item, "exclude_tools", out var exclude))
        {
            edit = edit with { ExcludeTools = Names(exclude, $"{path}.exclude_tools") };
        }

        if (TryGet(item, "clear_tool_inputs", out var inputs))
        {
            edit = inputs.ValueKind switch
            {
                JsonValueKind.True => edit with { ClearAllInputs = true },
                JsonValueKind.False => edit,
                JsonValueKind.Array => edit with { ClearInputsOf = Names(inputs, $"{path}.clear_tool_inputs") },
                _ => throw Invalid($"{path}.clear_tool_inputs", "Input should be a valid boolean or a valid list of strings"),
            };
        }

        return edit;
    }

    /// <summary><c>{type: "thinking_turns", value}</c>, <c>{type: "all"}</c> or <c>"all"</c>; null means all.</summary>
    private static int? ReadThinkingKeep(JsonElement item, string path)
    {
        if (!TryGet(item, "keep", out var keep))
        {
            return ClearThinkingEdit.DefaultKeep;
        }

        if (keep.ValueKind == JsonValueKind.String)
        {
            return keep.ValueEquals("all"u8) ? null : throw Invalid($"{path}.keep", "Input should be 'all' or an object");
        }

        var kind = Tagged(keep, $"{path}.keep", "'thinking_turns' or 'all'", "thinking_turns", "all");
        return kind == "all" ? null : Value(keep, $"{path}.keep", min: 1);
    }

    /// <summary>An object's <c>type</c>, which must be one of <paramref name="allowed"/>.</summary>
    private static string Tagged(JsonElement value, string path, string expected, params string[] allowed)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(path, "Input should be an object");
        }

        if (!TryGet(value, "type", out var type))
        {
            throw Invalid($"{path}.type", "Field required");
        }

        foreach (var name in allowed)
        {
            if (type.ValueKind == JsonValueKind.String && type.ValueEquals(name))
            {
                return name;
            }
        }

        throw Invalid($"{path}.type", $"Input should be {expected}");
    }

    private static int Value(JsonElement value, string path, int min)
    {
        if (!TryGet(value, "value", out var number))
        {
            throw Invalid($"{path}.value", "Field required");
        }

        if (number.ValueKind != JsonValueKind.Number || !number.TryGetInt64(out var whole))
        {
            throw Invalid($"{path}.value", "Input should be a valid integer");
        }

        return whole < min
            ? throw Invalid($"{path}.value", $"Input should be greater than or equal to {min}")
            : (int)Math.Min(whole, int.MaxValue);
    }

    private static string[] Names(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(path, "Input should be a valid list");
        }

        var names = new string[value.GetArrayLength()];
        var index = 0;
        foreach (var name in value.EnumerateArray())
        {
            names[index] = name.ValueKind == JsonValueKind.String
                ? name.GetString()!
                : throw Invalid($"{path}.{index}", "Input should be a valid string");
            index++;
        }

        return names;
    }
}
