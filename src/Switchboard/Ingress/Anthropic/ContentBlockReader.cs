using System.Text.Json;
using Switchboard.Canonical;
using static Switchboard.Ingress.Anthropic.RequestFields;

namespace Switchboard.Ingress.Anthropic;

/// <summary>
/// Reads message content into canonical blocks. One instance per request: it remembers the <c>tool_use</c> ids seen
/// so far, because a <c>tool_result</c> must answer one of them.
/// </summary>
internal sealed class ContentBlockReader
{
    private HashSet<string>? _toolUseIds;

    /// <summary>Reads a message's <c>content</c> (a string or a block list); <paramref name="at"/> is the message's path.</summary>
    public void ReadContent(JsonElement content, in FieldPath at, List<ContentBlock> into)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            into.Add(new TextBlock(content));
            return;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(at.Name("content"), "Input should be a valid string or a list of content blocks");
        }

        var index = 0;
        foreach (var block in content.EnumerateArray())
        {
            ReadBlock(block, at.Item(index), into);
            index++;
        }
    }

    private void ReadBlock(JsonElement block, in FieldPath at, List<ContentBlock> into)
    {
        ExpectObject(block, at);
        var type = RequiredType(block, at);
        if (type.ValueEquals("text"u8))
        {
            into.Add(new TextBlock(RequiredStringElement(block, "text", at)));
        }
        else if (type.ValueEquals("tool_use"u8))
        {
            into.Add(ReadToolUse(block, at));
        }
        else if (type.ValueEquals("tool_result"u8))
        {
            into.Add(ReadToolResult(block, at));
        }
        else if (type.ValueEquals("thinking"u8))
        {
            // Clients that replay thinking from other providers send no signature, or an empty one.
            into.Add(new ThinkingBlock(RequiredString(block, "thinking", at), OptionalString(block, "signature", at) ?? ""));
        }
        else if (type.ValueEquals("redacted_thinking"u8))
        {
            into.Add(new RedactedThinkingBlock(RequiredString(block, "data", at)));
        }
        else if (!AttachmentReader.TryRead(type, block, at, into))
        {
            UnknownBlocks.PassOn(type, block, at, into);
        }
    }

    private ToolUseBlock ReadToolUse(JsonElement block, in FieldPath at)
    {
        var id = RequiredString(block, "id", at);
        var name = RequiredString(block, "name", at);
        var input = RequiredObject(block, "input", at);
        (_toolUseIds ??= new HashSet<string>(StringComparer.Ordinal)).Add(id);
        return new ToolUseBlock(id, name, input.GetRawText());
    }

    private ToolResultBlock ReadToolResult(JsonElement block, in FieldPath at)
    {
        var id = RequiredString(block, "tool_use_id", at);
        if (_toolUseIds is null || !_toolUseIds.Contains(id))
        {
            throw Invalid(
                at.ToString(),
                $"unexpected `tool_use_id` found in `tool_result` blocks: {id}. Each `tool_result` block must have a corresponding `tool_use` block in the previous message.");
        }

        var isError = OptionalBool(block, "is_error", at) ?? false;
        if (!TryGet(block, "content", out var content))
        {
            return new ToolResultBlock(id, [], isError);
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            return new ToolResultBlock(id, [new TextBlock(content)], isError);
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(at.Name("content"), "Input should be a valid string or a list of content blocks");
        }

        var blocks = new List<ContentBlock>(content.GetArrayLength());
        var index = 0;
        foreach (var item in content.EnumerateArray())
        {
            ReadToolResultItem(item, at.Item(index), blocks);
            index++;
        }

        return new ToolResultBlock(id, blocks, isError);
    }

    /// <summary>Tool results hold text, images, search results, documents and tool references; nothing turn-level.</summary>
    private void ReadToolResultItem(JsonElement item, in FieldPath at, List<ContentBlock> into)
    {
        ExpectObject(item, at);
        var type = RequiredType(item, at);
        if (type.ValueEquals("text"u8))
        {
            into.Add(new TextBlock(RequiredStringElement(item, "text", at)));
        }
        else if (!AttachmentReader.TryRead(type, item, at, into))
        {
            UnknownBlocks.PassOn(type, item, at, into);
        }
    }
}
