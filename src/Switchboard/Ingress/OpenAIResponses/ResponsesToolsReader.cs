using System.Text.Json;
using Switchboard.Canonical;
using static Switchboard.Ingress.OpenAIFields;

namespace Switchboard.Ingress.OpenAIResponses;

/// <summary>
/// Reads <c>tools</c> (and Codex's <c>additional_tools</c> input items), <c>tool_choice</c> and
/// <c>parallel_tool_calls</c>. <c>function</c> tools are canonical tools; <c>custom</c> (freeform) tools are offered
/// as a function with one string parameter <c>input</c>; <c>namespace</c> members get the flat name
/// <c>&lt;namespace&gt;__&lt;name&gt;</c> (vLLM's choice) and remember their group and own name. Hosted tools
/// (<c>web_search</c>, <c>file_search</c> …) have nothing to run them: each is left out with a note, never refused,
/// since Codex always sends <c>web_search</c>.
/// </summary>
internal sealed class ResponsesToolsReader
{
    /// <summary>What a function without <c>parameters</c> takes: nothing.</summary>
    private static readonly JsonElement NoParameters = JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement.Clone();

    /// <summary>The one parameter of a freeform tool as the model sees it.</summary>
    internal static readonly JsonElement FreeformParameters =
        JsonDocument.Parse("""{"type":"object","properties":{"input":{"type":"string","description":"The raw input text."}},"required":["input"],"additionalProperties":false}""")
            .RootElement.Clone();

    private const string FreeformHint = "Pass the whole raw input text in the `input` string parameter.";

    private readonly List<ToolDefinition> _tools = [];
    private readonly Dictionary<string, ClientTool> _special = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string At, ToolDefinition Tool)> _offered = new(StringComparer.Ordinal);
    private readonly ICollection<string> _notes;

    public ResponsesToolsReader(ICollection<string> notes) => _notes = notes;

    public IReadOnlyList<ToolDefinition> Tools => _tools;

    public IReadOnlyDictionary<string, ClientTool> Special => _special;

    /// <summary>Reads one <c>tools</c>-shaped array (the top-level field or an <c>additional_tools</c> item's).</summary>
    public void ReadArray(JsonElement tools, in OpenAIPath path)
    {
        var index = 0;
        foreach (var tool in tools.EnumerateArray())
        {
            var at = path.Item(index);
            ExpectObject(tool, at);
            ReadTool(tool, at, group: null);
            index++;
        }
    }

    private void ReadTool(JsonElement tool, in OpenAIPath at, string? group)
    {
        var type = RequiredType(tool, at);
        if (type.ValueEquals("function"u8))
        {
            Add(ReadFunction(tool, at), group, freeform: false, at);
        }
        else if (type.ValueEquals("custom"u8))
        {
            Add(ReadCustom(tool, at), group, freeform: true, at);
        }
        else if (type.ValueEquals("namespace"u8) && group is null)
        {
            var name = NonEmptyName(tool, at);
            if (!TryGetArray(tool, "tools", at, out var members))
            {
                throw Missing(at.Name("tools"));
            }

            var membersAt = at.Child("tools");
            var index = 0;
            foreach (var member in members.EnumerateArray())
            {
                var memberAt = membersAt.Item(index);
                ExpectObject(member, memberAt);
                var memberType = RequiredType(member, memberAt);
                if (!memberType.ValueEquals("function"u8) && !memberType.ValueEquals("custom"u8))
                {
                    throw BadValue(memberAt.Name("type"), memberType, "'function' and 'custom'");
                }

                ReadTool(member, memberAt, name);
                index++;
            }
        }
        else
        {
            // A hosted tool (web_search, file_search, code_interpreter, computer_use, image_generation, mcp,
            // local_shell, shell, apply_patch …): nothing behind Switchboard runs it, and the model must not be
            // offered a tool it cannot call.
            _notes.Add($"{at}: hosted tool '{Clip(type.GetString()!)}' is not available; left out");
        }
    }

    private void Add(ToolDefinition tool, string? group, bool freeform, in OpenAIPath at)
    {
        // The model sees one flat list: two different tools under one name would make its calls ambiguous. The same
        // definition twice (tools repeated in a later additional_tools item) is offered once.
        var offered = group is null ? tool.Name : $"{group}__{tool.Name}";
        if (_offered.TryGetValue(offered, out var first))
        {
            if (SameTool(first.Tool, tool, group))
            {
                return;
            }

            throw Invalid(at.Name("name"), group is null && first.Tool.Group is null
                ? $"Duplicate tool name '{Clip(offered)}': '{first.At}' is a different tool with the same name."
                : $"Duplicate tool name '{Clip(offered)}': a namespace member is offered to the model as '<namespace>__<name>', and '{first.At}' is a different tool under that name.");
        }

        _offered[offered] = (at.ToString(), tool with { Group = group });
        if (group is not null)
        {
            var flat = offered;
            _special[flat] = new ClientTool(tool.Name, group, freeform);
            _tools.Add(tool with { Name = flat, Group = group, ClientName = tool.Name });
            return;
        }

        if (freeform)
        {
            _special[tool.Name] = new ClientTool(tool.Name, null, Freeform: true);
        }

        _tools.Add(tool);
    }

    private static bool SameTool(ToolDefinition first, ToolDefinition tool, string? group) =>
        first.Group == group && first.Freeform == tool.Freeform && first.Description == tool.Description
        && first.InputSchema.GetRawText() == tool.InputSchema.GetRawText();

    private static ToolDefinition ReadFunction(JsonElement function, in OpenAIPath at)
    {
        var name = NonEmptyName(function, at);
        var description = OptionalString(function, "description", at);
        var parameters = TryGetObject(function, "parameters", at, out var schema) ? schema : NoParameters;
        return new ToolDefinition(name, description, parameters) { Strict = OptionalBool(function, "strict", at) };
    }

    /// <summary>
    /// A freeform tool. Its <c>format</c> (a Lark or regex grammar) cannot be enforced on the models behind
    /// Switchboard: it is accepted and not applied (docs/OPENAI_RESPONSES.md).
    /// </summary>
    private static ToolDefinition ReadCustom(JsonElement custom, in OpenAIPath at)
    {
        var name = NonEmptyName(custom, at);
        var description = OptionalString(custom, "description", at);
        _ = TryGetObject(custom, "format", at, out _);
        var described = string.IsNullOrEmpty(description) ? FreeformHint : $"{description}\n\n{FreeformHint}";
        return new ToolDefinition(name, described, FreeformParameters) { Freeform = true };
    }

    private static string NonEmptyName(JsonElement tool, in OpenAIPath at)
    {
        var name = RequiredString(tool, "name", at);
        return name.Length > 0
            ? name
            : throw Invalid(at.Name("name"), $"Invalid '{at.Name("name")}': empty string. Expected a string with minimum length 1, but got an empty string instead.", "empty_string");
    }

    /// <summary>
    /// <c>tool_choice</c>, with <c>parallel_tool_calls: false</c> riding on it. A named tool must be among the tools
    /// (a namespace member may be named by its own name, or with its <c>namespace</c>); forcing a hosted tool that
    /// was left out is refused, since the answer could not honour it.
    /// </summary>
    public ToolChoice? ReadToolChoice(JsonElement root)
    {
        var disableParallel = OptionalBool(root, "parallel_tool_calls", OpenAIPath.Body) == false;
        if (!TryGet(root, "tool_choice", out var choice))
        {
            return disableParallel ? new ToolChoice(ToolChoiceKind.Auto, null, DisableParallelToolUse: true) : null;
        }

        if (choice.ValueKind == JsonValueKind.String)
        {
            return Mode(choice, "tool_choice", "'none', 'auto', and 'required'", allowNone: true, disableParallel);
        }

        if (choice.ValueKind != JsonValueKind.Object)
        {
            throw WrongType("tool_choice", "one of a string or object", choice);
        }

        var at = OpenAIPath.Root("tool_choice");
        var type = RequiredType(choice, at);
        if (type.ValueEquals("function"u8) || type.ValueEquals("custom"u8))
        {
            var name = RequiredString(choice, "name", at);
            return new ToolChoice(ToolChoiceKind.Tool, Resolve(name, OptionalString(choice, "namespace", at), at.Name("name")), disableParallel);
        }

        if (type.ValueEquals("allowed_tools"u8))
        {
            return ReadAllowedTools(choice, at, disableParallel);
        }

        throw Unsupported(at.Name("type"),
            $"Invalid 'tool_choice.type': '{Clip(type.GetString()!)}' names a hosted tool, which is not available through Switchboard; offer a function tool instead.");
    }

    private ToolChoice ReadAllowedTools(JsonElement choice, in OpenAIPath at, bool disableParallel)
    {
        var mode = Required(choice, "mode", at);
        var result = Mode(mode, at.Name("mode"), "'auto' and 'required'", allowNone: false, disableParallel);
        if (!TryGetArray(choice, "tools", at, out var list))
        {
            throw Missing(at.Name("tools"));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var listAt = at.Child("tools");
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            var itemAt = listAt.Item(index);
            ExpectObject(item, itemAt);
            var type = RequiredType(item, itemAt);
            if (type.ValueEquals("function"u8) || type.ValueEquals("custom"u8))
            {
                names.Add(Resolve(RequiredString(item, "name", itemAt), OptionalString(item, "namespace", itemAt), itemAt.Name("name")));
            }

            index++;
        }

        _tools.RemoveAll(tool => !names.Contains(tool.Name));
        return result;
    }

    /// <summary>The canonical name of a tool the client names (flat, or its own name inside a namespace).</summary>
    private string Resolve(string name, string? group, string param)
    {
        var wanted = group is null ? name : $"{group}__{name}";
        foreach (var tool in _tools)
        {
            if (tool.Name == wanted)
            {
                return wanted;
            }
        }

        if (group is null)
        {
            string? found = null;
            foreach (var tool in _tools)
            {
                if (tool.ClientName == name)
                {
                    if (found is not null)
                    {
                        throw Invalid(param, $"Invalid '{param}': tool '{Clip(name)}' is in more than one namespace; give its 'namespace' too.", "invalid_value");
                    }

                    found = tool.Name;
                }
            }

            if (found is not null)
            {
                return found;
            }
        }

        throw Invalid(param, $"Invalid '{param}': tool '{Clip(name)}' is not among the request's tools.", "invalid_value");
    }

    private static ToolChoice Mode(JsonElement mode, string param, string supported, bool allowNone, bool disableParallel)
    {
        if (mode.ValueKind != JsonValueKind.String)
        {
            throw WrongType(param, "a string", mode);
        }

        if (mode.ValueEquals("auto"u8))
        {
            return new ToolChoice(ToolChoiceKind.Auto, null, disableParallel);
        }

        if (mode.ValueEquals("required"u8))
        {
            return new ToolChoice(ToolChoiceKind.Any, null, disableParallel);
        }

        if (allowNone && mode.ValueEquals("none"u8))
        {
            return new ToolChoice(ToolChoiceKind.None, null, disableParallel);
        }

        throw BadValue(param, mode, supported);
    }
}
