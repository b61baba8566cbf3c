using System.Text.Json;
using Switchboard.Canonical;
using static Switchboard.Ingress.Anthropic.RequestFields;

namespace Switchboard.Ingress.Anthropic;

/// <summary>
/// Reads <c>messages</c>: roles, content, and the merge of consecutive same-role turns into one canonical message
/// (the Messages API combines them too, and model servers' chat templates often reject repeated roles).
/// </summary>
internal static class ConversationReader
{
    public static List<Message> Read(JsonElement root, RequestReadNotes notes)
    {
        var messages = Required(root, "messages", FieldPath.Body);
        if (messages.ValueKind != JsonValueKind.Array)
        {
            throw Invalid("messages", "Input should be a valid list");
        }

        var count = messages.GetArrayLength();
        if (count == 0)
        {
            throw Invalid("messages", "List should have at least 1 item after validation, not 0");
        }

        var blocks = new ContentBlockReader();
        var result = new List<Message>(count);
        List<ContentBlock>? turn = null;
        var turnRole = Role.User;
        var path = FieldPath.Root("messages");
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var at = path.Item(index);
            ExpectObject(message, at);
            var role = ReadRole(message, at);
            var content = Required(message, "content", at);
            if (content.ValueKind == JsonValueKind.Array && content.GetArrayLength() == 0
                && !(index == count - 1 && role == Role.Assistant))
            {
                throw Invalid(at.ToString(), "all messages must have non-empty content except for the optional final assistant message");
            }

            if (turn is not null && role == turnRole)
            {
                blocks.ReadContent(content, at, turn);
            }
            else
            {
                // A turn left empty (an empty final assistant prefill, or only blocks that were left out) is skipped
                // without ending the current turn, so neighbours never share a role.
                var next = new List<ContentBlock>();
                blocks.ReadContent(content, at, next);
                if (next.Count > 0)
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

        if (turn is null)
        {
            throw Invalid("messages", "at least one message must have content that can be passed to the model");
        }

        result.Add(new Message(turnRole, turn));
        return result;
    }

    private static Role ReadRole(JsonElement message, in FieldPath at)
    {
        var role = Required(message, "role", at);
        if (role.ValueKind == JsonValueKind.String)
        {
            if (role.ValueEquals("user"u8))
            {
                return Role.User;
            }

            if (role.ValueEquals("assistant"u8))
            {
                return Role.Assistant;
            }

            if (role.ValueEquals("system"u8))
            {
                return Role.System;
            }
        }

        throw Invalid(at.Name("role"), "Input should be 'user', 'assistant' or 'system'");
    }
}
