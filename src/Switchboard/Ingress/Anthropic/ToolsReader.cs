using System.Text.Json;
using Switchboard.Canonical;
using static Switchboard.Ingress.Anthropic.RequestFields;

namespace Switchboard.Ingress.Anthropic;

/// <summary>Reads <c>tools</c> and <c>tool_choice</c>.</summary>
internal static class ToolsReader
{
    /// <summary>
    /// Tools that Anthropic runs on its side or that need its own model training (<c>bash</c>, <c>computer</c> …):
    /// open models behind Switchboard cannot honour them, so a request that relies on one is refused.
    /// </summary>
    private static readonly string[] ServerToolPrefixes =
    [
        "web_search_", "web_fetch_", "code_execution_", "bash_", "text_editor_", "computer_", "memory_", "tool_search_tool_",
    ];

    /// <summary>
    /// The client's own tools; typed tools (server tools, new tool types) go to <paramref name="raw"/> as sent, for
    /// the target's lowering step to pass, refuse or ignore.
    /// </summary>
    public static IReadOnlyList<ToolDefinition> ReadTools(JsonElement root, out IReadOnlyList<RawTool> raw, out ToolsSource? source)
    {
        raw = [];
        source = null;
        if (!TryGetArray(root, "tools", FieldPath.Body, out var tools) || tools.GetArrayLength() == 0)
        {
            return [];
        }

        var result = new List<ToolDefinition>(tools.GetArrayLength());
        List<RawTool>? typed = null;
        var path = FieldPath.Root("tools");
        var index = 0;
        foreach (var tool in tools.EnumerateArray())
        {
            var at = path.Item(index);
            ExpectObject(tool, at);
            var isCustom = !TryGet(tool, "type", out _) || RequiredType(tool, at).ValueEquals("custom"u8);
            if (isCustom)
            {
                result.Add(ReadCustomTool(tool, at));
            }
            else
            {
                (typed ??= []).Add(ReadTypedTool(tool, at));
            }

            index++;
        }

        raw = typed ?? (IReadOnlyList<RawTool>)[];
        source = new ToolsSource(tools, result);
        return result;
    }

    /// <summary>
    /// The schema is kept as sent (extra fields such as <c>defer_loading</c>, <c>strict</c> and
    /// <c>cache_control</c> are accepted); egresses add a missing <c>"type": "object"</c>.
    /// </summary>
    private static ToolDefinition ReadCustomTool(JsonElement tool, in FieldPath at)
    {
        var name = RequiredString(tool, "name", at);
        if (name.Length == 0)
        {
            throw Invalid(at.Name("name"), "String should have at least 1 character");
        }

        // The description (most of a tool's bytes) stays the client's UTF-8: egresses copy it, few decode it.
        var hasDescription = TryGet(tool, "description", out var description);
        if (hasDescription && description.ValueKind != JsonValueKind.String)
        {
            throw Invalid(at.Name("description"), "Input should be a valid string");
        }

        var schema = RequiredObject(tool, "input_schema", at);
        var deferLoading = OptionalBool(tool, "defer_loading", at) ?? false;
        return hasDescription
            ? new ToolDefinition(name, description, schema) { DeferLoading = deferLoading }
            : new ToolDefinition(name, (string?)null, schema) { DeferLoading = deferLoading };
    }

    /// <summary>
    /// Anthropic-defined tools need Anthropic's side (or its model training): an upstream that does not allow them
    /// refuses the request. Other new tool types (advisor, MCP toolsets), which Claude Code sends to any base URL,
    /// are ignored by such an upstream: refusing them would break it.
    /// </summary>
    private static RawTool ReadTypedTool(JsonElement tool, in FieldPath at)
    {
        var typeName = tool.GetProperty("type").GetString()!;
        foreach (var prefix in ServerToolPrefixes)
        {
            if (typeName.StartsWith(prefix, StringComparison.Ordinal))
            {
                var name = TryGet(tool, "name", out var value) && value.ValueKind == JsonValueKind.String
                    ? value.GetString()
                    : prefix.TrimEnd('_');
                var refusal = Invalid(
                    at.ToString(),
                    $"the Anthropic-defined tool '{name}' (type '{typeName}') is not supported by Switchboard's models; define it as a custom tool with an input_schema instead");
                return new RawTool(UnknownBlocks.Dialect, typeName, tool) { Refusal = refusal.Message };
            }
        }

        return new RawTool(UnknownBlocks.Dialect, typeName, tool)
        {
            Note = $"{at}: tool type '{RequestReadNotes.Clip(typeName)}' is not supported; tool ignored",
        };
    }

    public static ToolChoice? ReadToolChoice(JsonElement root)
    {
        if (!TryGetObject(root, "tool_choice", FieldPath.Body, out var choice))
        {
            return null;
        }

        var at = FieldPath.Root("tool_choice");
        var type = RequiredType(choice, at);
        var disableParallel = OptionalBool(choice, "disable_parallel_tool_use", at) ?? false;
        if (type.ValueEquals("auto"u8))
        {
            return new ToolChoice(ToolChoiceKind.Auto, null, disableParallel);
        }

        if (type.ValueEquals("any"u8))
        {
            return new ToolChoice(ToolChoiceKind.Any, null, disableParallel);
        }

        if (type.ValueEquals("none"u8))
        {
            return new ToolChoice(ToolChoiceKind.None, null, disableParallel);
        }

        if (type.ValueEquals("tool"u8))
        {
            return new ToolChoice(ToolChoiceKind.Tool, RequiredString(choice, "name", at), disableParallel);
        }

        throw Invalid(at.Name("type"), "Input should be 'auto', 'any', 'tool' or 'none'");
    }
}
