using System.Text.Json;
using Switchboard.Canonical;
using static Switchboard.Ingress.OpenAIFields;

namespace Switchboard.Ingress.OpenAIChat;

/// <summary>
/// Reads <c>tools</c> (and the legacy <c>functions</c>), <c>tool_choice</c> (and the legacy <c>function_call</c>)
/// and <c>parallel_tool_calls</c>.
/// </summary>
internal static class ChatToolsReader
{
    /// <summary>What a function without <c>parameters</c> takes: nothing (OpenAI's documented default).</summary>
    private static readonly JsonElement NoParameters = JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement.Clone();

    public static IReadOnlyList<ToolDefinition> ReadTools(JsonElement root)
    {
        var hasTools = TryGetArray(root, "tools", OpenAIPath.Body, out var tools) && tools.GetArrayLength() > 0;
        var hasFunctions = TryGetArray(root, "functions", OpenAIPath.Body, out var functions) && functions.GetArrayLength() > 0;
        if (!hasTools && !hasFunctions)
        {
            return [];
        }

        var result = new List<ToolDefinition>((hasTools ? tools.GetArrayLength() : 0) + (hasFunctions ? functions.GetArrayLength() : 0));
        if (hasTools)
        {
            var path = OpenAIPath.Root("tools");
            var index = 0;
            foreach (var tool in tools.EnumerateArray())
            {
                var at = path.Item(index);
                ExpectObject(tool, at);
                var type = ChatContentReader.RequiredType(tool, at);
                if (type.ValueEquals("custom"u8))
                {
                    throw Unsupported(at.Name("type"),
                        $"Invalid '{at.Name("type")}': custom (freeform) tools are not supported; define the tool as a function tool with a JSON schema.");
                }

                if (!type.ValueEquals("function"u8))
                {
                    throw BadValue(at.Name("type"), type, "'function'");
                }

                var function = Required(tool, "function", at);
                if (function.ValueKind != JsonValueKind.Object)
                {
                    throw WrongType(at.Name("function"), "an object", function);
                }

                result.Add(ReadFunction(function, at.Child("function")));
                index++;
            }
        }

        if (hasFunctions)
        {
            var path = OpenAIPath.Root("functions");
            var index = 0;
            foreach (var function in functions.EnumerateArray())
            {
                var at = path.Item(index);
                ExpectObject(function, at);
                result.Add(ReadFunction(function, at));
                index++;
            }
        }

        return result;
    }

    private static ToolDefinition ReadFunction(JsonElement function, in OpenAIPath at)
    {
        var name = RequiredString(function, "name", at);
        if (name.Length == 0)
        {
            throw Invalid(at.Name("name"), $"Invalid '{at.Name("name")}': empty string. Expected a string with minimum length 1, but got an empty string instead.", "empty_string");
        }

        var description = OptionalString(function, "description", at);
        var parameters = TryGetObject(function, "parameters", at, out var schema) ? schema : NoParameters;
        return new ToolDefinition(name, description, parameters) { Strict = OptionalBool(function, "strict", at) };
    }

    /// <summary>
    /// <c>tool_choice</c>, else <c>function_call</c>; <c>parallel_tool_calls: false</c> rides on the choice (an
    /// <c>auto</c> one when none was given). <c>allowed_tools</c> narrows <paramref name="tools"/> to the tools it
    /// lists. A named tool must be one of the tools, as model servers require.
    /// </summary>
    public static ToolChoice? ReadToolChoice(JsonElement root, ref IReadOnlyList<ToolDefinition> tools)
    {
        var disableParallel = OptionalBool(root, "parallel_tool_calls", OpenAIPath.Body) == false;
        ToolChoice? choice = null;
        if (TryGet(root, "tool_choice", out var toolChoice))
        {
            choice = ReadChoice(toolChoice, OpenAIPath.Root("tool_choice"), ref tools, disableParallel);
        }
        else if (TryGet(root, "function_call", out var functionCall))
        {
            choice = ReadFunctionCall(functionCall, tools, disableParallel);
        }

        return choice ?? (disableParallel ? new ToolChoice(ToolChoiceKind.Auto, null, DisableParallelToolUse: true) : null);
    }

    private static ToolChoice ReadChoice(JsonElement choice, in OpenAIPath at, ref IReadOnlyList<ToolDefinition> tools, bool disableParallel)
    {
        if (choice.ValueKind == JsonValueKind.String)
        {
            return Mode(choice, "tool_choice", "'none', 'auto', and 'required'", allowNone: true, disableParallel);
        }

        if (choice.ValueKind != JsonValueKind.Object)
        {
            throw WrongType("tool_choice", "one of a string or object", choice);
        }

        var type = ChatContentReader.RequiredType(choice, at);
        if (type.ValueEquals("function"u8))
        {
            var function = Required(choice, "function", at);
            if (function.ValueKind != JsonValueKind.Object)
            {
                throw WrongType(at.Name("function"), "an object", function);
            }

            var functionAt = at.Child("function");
            return Named(RequiredString(function, "name", functionAt), functionAt.Name("name"), tools, disableParallel);
        }

        if (type.ValueEquals("allowed_tools"u8))
        {
            return ReadAllowedTools(choice, at, ref tools, disableParallel);
        }

        if (type.ValueEquals("custom"u8))
        {
            throw Unsupported(at.Name("type"), "Invalid 'tool_choice.type': custom (freeform) tools are not supported.");
        }

        throw BadValue(at.Name("type"), type, "'function' and 'allowed_tools'");
    }

    private static ToolChoice ReadAllowedTools(JsonElement choice, in OpenAIPath at, ref IReadOnlyList<ToolDefinition> tools, bool disableParallel)
    {
        var allowed = Required(choice, "allowed_tools", at);
        var allowedAt = at.Child("allowed_tools");
        if (allowed.ValueKind != JsonValueKind.Object)
        {
            throw WrongType(at.Name("allowed_tools"), "an object", allowed);
        }

        var mode = Required(allowed, "mode", allowedAt);
        var result = Mode(mode, allowedAt.Name("mode"), "'auto' and 'required'", allowNone: false, disableParallel);
        if (!TryGetArray(allowed, "tools", allowedAt, out var list))
        {
            throw Missing(allowedAt.Name("tools"));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var listAt = allowedAt.Child("tools");
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            var itemAt = listAt.Item(index);
            ExpectObject(item, itemAt);
            var function = Required(item, "function", itemAt);
            if (function.ValueKind != JsonValueKind.Object)
            {
                throw WrongType(itemAt.Name("function"), "an object", function);
            }

            var functionAt = itemAt.Child("function");
            var name = RequiredString(function, "name", functionAt);
            _ = Named(name, functionAt.Name("name"), tools, disableParallel);
            names.Add(name);
            index++;
        }

        var kept = new List<ToolDefinition>(names.Count);
        foreach (var tool in tools)
        {
            if (names.Contains(tool.Name))
            {
                kept.Add(tool);
            }
        }

        tools = kept;
        return result;
    }

    private static ToolChoice? ReadFunctionCall(JsonElement functionCall, IReadOnlyList<ToolDefinition> tools, bool disableParallel)
    {
        if (functionCall.ValueKind == JsonValueKind.String)
        {
            return Mode(functionCall, "function_call", "'none' and 'auto'", allowNone: true, disableParallel, allowRequired: false);
        }

        if (functionCall.ValueKind != JsonValueKind.Object)
        {
            throw WrongType("function_call", "one of a string or object", functionCall);
        }

        return Named(RequiredString(functionCall, "name", OpenAIPath.Root("function_call")), "function_call.name", tools, disableParallel);
    }

    private static ToolChoice Mode(JsonElement mode, string param, string supported, bool allowNone, bool disableParallel, bool allowRequired = true)
    {
        if (mode.ValueKind != JsonValueKind.String)
        {
            throw WrongType(param, "a string", mode);
        }

        if (mode.ValueEquals("auto"u8))
        {
            return new ToolChoice(ToolChoiceKind.Auto, null, disableParallel);
        }

        if (allowRequired && mode.ValueEquals("required"u8))
        {
            return new ToolChoice(ToolChoiceKind.Any, null, disableParallel);
        }

        if (allowNone && mode.ValueEquals("none"u8))
        {
            return new ToolChoice(ToolChoiceKind.None, null, disableParallel);
        }

        throw BadValue(param, mode, supported);
    }

    private static ToolChoice Named(string name, string param, IReadOnlyList<ToolDefinition> tools, bool disableParallel)
    {
        foreach (var tool in tools)
        {
            if (tool.Name == name)
            {
                return new ToolChoice(ToolChoiceKind.Tool, name, disableParallel);
            }
        }

        throw Invalid(param, $"Invalid '{param}': tool '{RequestNames.Clip(name)}' is not among the request's tools.", "invalid_value");
    }
}
