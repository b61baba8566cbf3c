using System.Text;
using System.Text.Json;
using Switchboard.Canonical;
using static Switchboard.Ingress.OpenAIFields;

namespace Switchboard.Ingress.OpenAIChat;

/// <summary>
/// Reads <c>messages</c> into the system prompt and the canonical conversation. <c>system</c> and
/// <c>developer</c> messages before the first other message form the system prompt; later ones become inline system
/// turns (egresses place them). <c>tool</c> and legacy <c>function</c> messages become tool results in a user
/// turn. An assistant's <c>reasoning_content</c> (or <c>reasoning</c>) becomes a thinking block marked
/// <see cref="ThinkingBlock.Unsigned"/>: this dialect has no signatures, and the model needs its earlier reasoning.
/// Consecutive same-role turns are merged, as the canonical model requires.
/// </summary>
internal sealed class ChatConversationReader
{
    private const string Roles = "'system', 'assistant', 'user', 'function', 'tool', and 'developer'";

    private HashSet<string>? _toolCallIds;

    /// <summary>Legacy <c>function_call</c>s not yet answered by a <c>function</c> message: name and the id given to it.</summary>
    private List<(string Name, string Id)>? _openFunctionCalls;

    public string? System { get; private set; }

    public List<Message> Read(JsonElement root)
    {
        var messages = Required(root, "messages", OpenAIPath.Body);
        if (messages.ValueKind != JsonValueKind.Array)
        {
            throw WrongType("messages", "an array", messages);
        }

        var count = messages.GetArrayLength();
        if (count == 0)
        {
            throw Invalid("messages", "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", "empty_array");
        }

        var result = new List<Message>(count);
        List<ContentBlock>? turn = null;
        var turnRole = Role.User;
        StringBuilder? system = null;
        var path = OpenAIPath.Root("messages");
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var at = path.Item(index);
            ExpectObject(message, at);
            var next = new List<ContentBlock>();
            var role = ReadMessage(message, at, index, next, out var systemText);
            if (systemText is not null && turn is null)
            {
                // Leading system and developer messages are the system prompt.
                system = system is null ? new StringBuilder(systemText) : system.Append("\n\n").Append(systemText);
            }
            else if (systemText is not null)
            {
                next.Add(new TextBlock(systemText));
            }

            if (next.Count > 0)
            {
                if (turn is not null && role == turnRole)
                {
                    turn.AddRange(next);
                }
                else
                {
                    if (turn is not null)
                    {
                        result.Add(new Message(turnRole, turn));
                    }

                    turn = next;
                    turnRole = role;
                }
            }

            index++;
        }

        if (turn is not null)
        {
            result.Add(new Message(turnRole, turn));
        }

        System = system?.ToString();
        return result;
    }

    /// <summary>Reads one message into <paramref name="into"/>; a system or developer message's text comes out instead.</summary>
    private Role ReadMessage(JsonElement message, in OpenAIPath at, int index, List<ContentBlock> into, out string? systemText)
    {
        systemText = null;
        var role = Required(message, "role", at);
        if (role.ValueKind != JsonValueKind.String)
        {
            throw WrongType(at.Name("role"), "a string", role);
        }

        if (role.ValueEquals("user"u8))
        {
            ChatContentReader.Read(Required(message, "content", at), at, into);
            return Role.User;
        }

        if (role.ValueEquals("assistant"u8))
        {
            ReadAssistant(message, at, index, into);
            return Role.Assistant;
        }

        if (role.ValueEquals("system"u8) || role.ValueEquals("developer"u8))
        {
            systemText = ChatContentReader.ReadText(Required(message, "content", at), at, allowRefusal: false);
            return Role.System;
        }

        if (role.ValueEquals("tool"u8))
        {
            into.Add(ReadToolMessage(message, at));
            return Role.User;
        }

        if (role.ValueEquals("function"u8))
        {
            into.Add(ReadFunctionMessage(message, at));
            return Role.User;
        }

        throw BadValue(at.Name("role"), role, Roles);
    }

    private void ReadAssistant(JsonElement message, in OpenAIPath at, int index, List<ContentBlock> into)
    {
        // The reasoning comes first: the model wrote it before its answer and its calls.
        var reasoning = OptionalString(message, "reasoning_content", at) ?? OptionalString(message, "reasoning", at);
        if (!string.IsNullOrEmpty(reasoning))
        {
            into.Add(new ThinkingBlock(reasoning, "") { Unsigned = true });
        }

        if (TryGet(message, "content", out var content))
        {
            var text = ChatContentReader.ReadText(content, at, allowRefusal: true);
            if (text.Length > 0)
            {
                into.Add(new TextBlock(text));
            }
        }
        else if (OptionalString(message, "refusal", at) is { Length: > 0 } refusal)
        {
            into.Add(new TextBlock(refusal));
        }

        if (TryGetArray(message, "tool_calls", at, out var calls))
        {
            var callsAt = at.Child("tool_calls");
            var callIndex = 0;
            foreach (var call in calls.EnumerateArray())
            {
                into.Add(ReadToolCall(call, callsAt.Item(callIndex)));
                callIndex++;
            }
        }

        if (TryGetObject(message, "function_call", at, out var functionCall))
        {
            // The legacy form has no call id: one is made from the message's position, so the same history always
            // reads the same (model servers' prefix caches see the same prompt).
            var callAt = at.Child("function_call");
            var name = RequiredString(functionCall, "name", callAt);
            var id = $"call_function_{index}";
            (_openFunctionCalls ??= []).Add((name, id));
            into.Add(new ToolUseBlock(id, name, Arguments(functionCall, callAt)));
        }
    }

    private ToolUseBlock ReadToolCall(JsonElement call, in OpenAIPath at)
    {
        ExpectObject(call, at);
        if (TryGet(call, "type", out var type) && type.ValueKind != JsonValueKind.String)
        {
            throw WrongType(at.Name("type"), "a string", type);
        }

        if (type.ValueKind == JsonValueKind.String && !type.ValueEquals("function"u8))
        {
            if (type.ValueEquals("custom"u8))
            {
                throw Unsupported(at.Name("type"),
                    $"Invalid '{at.Name("type")}': custom (freeform) tool calls are not supported; define the tool as a function tool.");
            }

            throw BadValue(at.Name("type"), type, "'function'");
        }

        var id = RequiredString(call, "id", at);
        var function = Required(call, "function", at);
        var functionAt = at.Child("function");
        if (function.ValueKind != JsonValueKind.Object)
        {
            throw WrongType(at.Name("function"), "an object", function);
        }

        var name = RequiredString(function, "name", functionAt);
        (_toolCallIds ??= new HashSet<string>(StringComparer.Ordinal)).Add(id);
        return new ToolUseBlock(id, name, Arguments(function, functionAt));
    }

    /// <summary>
    /// <c>arguments</c>: a JSON object encoded as a string. An empty string (clients send it for calls without
    /// arguments) is <c>{}</c>; anything that is not an object is refused rather than passed on as other input.
    /// </summary>
    private static string Arguments(JsonElement function, in OpenAIPath at)
    {
        var arguments = RequiredString(function, "arguments", at);
        var trimmed = arguments.AsSpan().Trim();
        if (trimmed.IsEmpty)
        {
            return "{}";
        }

        if (trimmed[0] != '{' || trimmed[^1] != '}')
        {
            throw Invalid(at.Name("arguments"),
                $"Invalid '{at.Name("arguments")}': expected a JSON object encoded as a string.", "invalid_value");
        }

        return arguments;
    }

    private ToolResultBlock ReadToolMessage(JsonElement message, in OpenAIPath at)
    {
        var id = RequiredString(message, "tool_call_id", at);
        if (_toolCallIds is null || !_toolCallIds.Contains(id))
        {
            throw Invalid(at.Name("role"),
                "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.");
        }

        var content = new List<ContentBlock>(1);
        if (TryGet(message, "content", out var value))
        {
            ChatContentReader.Read(value, at, content);
        }

        return new ToolResultBlock(id, content, IsError: false);
    }

    /// <summary>A legacy <c>function</c> message answers the latest open <c>function_call</c> of the same name.</summary>
    private ToolResultBlock ReadFunctionMessage(JsonElement message, in OpenAIPath at)
    {
        var name = RequiredString(message, "name", at);
        var open = _openFunctionCalls?.FindLastIndex(call => call.Name == name) ?? -1;
        if (open < 0)
        {
            throw Invalid(at.Name("role"),
                "Invalid parameter: messages with role 'function' must be a response to a preceding assistant message with a 'function_call' of the same name.");
        }

        var id = _openFunctionCalls![open].Id;
        _openFunctionCalls.RemoveAt(open);
        var text = OptionalString(message, "content", at);
        return new ToolResultBlock(id, text is null ? [] : [new TextBlock(text)], IsError: false);
    }
}
