using System.Text.Json;
using Switchboard.Canonical;
using Switchboard.Egress.OpenAIChat.Profiles;

namespace Switchboard.Egress.OpenAIChat;

/// <summary>
/// Writes the conversation as Chat Completions <c>messages</c>. Shared by the request body and the tokenizer
/// probe, so a token count sees exactly the prompt the model will see.
/// </summary>
/// <remarks>
/// Chat templates are stricter than the Messages API: many reject a system message that is not first, two user
/// messages in a row, or anything between an assistant's tool calls and their results. So inline system turns
/// become user text, tool results go out first as <c>tool</c> messages, and all user-side content between two
/// assistant turns (inline system text, images from tool results, the user's own text) forms one user message.
/// Earlier thinking goes back in the form the model's profile names: a reasoning field, or <c>&lt;think&gt;</c> tags
/// inline in the content where the model wrote them.
/// </remarks>
internal static class ChatMessagesWriter
{
    /// <summary>Put in front of a failed tool's output so the model can tell it from a good result.</summary>
    internal const string ToolErrorPrefix = "Error: ";

    public static void Write(Utf8JsonWriter json, MessageRequest request, ModelProfile profile)
    {
        json.WriteStartArray("messages");
        if (request.SystemBlocks is { } systemBlocks)
        {
            // The client's blocks, copied as UTF-8; joined they are request.System.
            if (systemBlocks.Count > 1 || systemBlocks[0].Length > 0)
            {
                json.WriteStartObject();
                json.WriteString("role", "system");
                json.WritePropertyName("content");
                JsonTextOut.WriteJoined(json, systemBlocks, prefix: null);
                json.WriteEndObject();
            }
        }
        else if (!string.IsNullOrEmpty(request.System))
        {
            json.WriteStartObject();
            json.WriteString("role", "system");
            json.WriteString("content", request.System);
            json.WriteEndObject();
        }

        // Blocks waiting to go out as the next user message; references only, written when an assistant turn or
        // the end of the conversation closes the run.
        List<ContentBlock>? pending = null;
        foreach (var message in request.Messages)
        {
            switch (message.Role)
            {
                case Role.Assistant:
                    WriteUser(json, pending);
                    WriteAssistant(json, message.Content, profile);
                    break;
                case Role.System:
                    Collect(message.Content, ref pending, textOnly: true);
                    break;
                default:
                    WriteToolResults(json, message.Content, profile.ToolCallIds, ref pending);
                    Collect(message.Content, ref pending, textOnly: false);
                    break;
            }
        }

        WriteUser(json, pending);
        json.WriteEndArray();
    }

    private static void Collect(IReadOnlyList<ContentBlock> content, ref List<ContentBlock>? pending, bool textOnly)
    {
        foreach (var block in content)
        {
            if (block is TextBlock || (!textOnly && block is ImageBlock))
            {
                (pending ??= []).Add(block);
            }
        }
    }

    private static void WriteToolResults(Utf8JsonWriter json, IReadOnlyList<ContentBlock> content, ToolCallIdStyle ids, ref List<ContentBlock>? pending)
    {
        foreach (var block in content)
        {
            if (block is not ToolResultBlock result)
            {
                continue;
            }

            json.WriteStartObject();
            json.WriteString("role", "tool");
            json.WriteString("tool_call_id", ToolCallIds.For(result.ToolUseId, ids));
            json.WritePropertyName("content");
            if (result.IsError && !Contains<TextBlock>(result.Content))
            {
                json.WriteStringValue("Error");
            }
            else
            {
                WriteJoinedText(json, result.Content, result.IsError ? ToolErrorPrefix : null);
            }

            json.WriteEndObject();

            // Tool messages cannot carry images in most templates; they follow in the next user message.
            foreach (var part in result.Content)
            {
                if (part is ImageBlock)
                {
                    (pending ??= []).Add(part);
                }
            }
        }
    }

    private static void WriteUser(Utf8JsonWriter json, List<ContentBlock>? pending)
    {
        if (pending is null || pending.Count == 0)
        {
            return;
        }

        json.WriteStartObject();
        json.WriteString("role", "user");
        json.WritePropertyName("content");
        if (pending.TrueForAll(static block => block is TextBlock))
        {
            WriteJoinedText(json, pending, prefix: null);
        }
        else
        {
            WriteParts(json, pending);
        }

        json.WriteEndObject();
        pending.Clear();
    }

    private static void WriteParts(Utf8JsonWriter json, List<ContentBlock> parts)
    {
        json.WriteStartArray();
        foreach (var part in parts)
        {
            json.WriteStartObject();
            if (part is ImageBlock image)
            {
                json.WriteString("type", "image_url");
                json.WriteStartObject("image_url");
                json.WriteString("url", image.ToUri());
                json.WriteEndObject();
            }
            else
            {
                json.WriteString("type", "text");
                json.WritePropertyName("text");
                JsonTextOut.WriteValue(json, (TextBlock)part);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteAssistant(Utf8JsonWriter json, IReadOnlyList<ContentBlock> content, ModelProfile profile)
    {
        var history = profile.History;
        json.WriteStartObject();
        json.WriteString("role", "assistant");

        // "" rather than null when there are only tool calls: strict templates require a content string.
        json.WritePropertyName("content");
        var hasThinking = Contains<ThinkingBlock>(content);
        if (hasThinking && history == ThinkingHistory.InlineThinkTags)
        {
            WriteTextWithInlineThinking(json, content);
        }
        else
        {
            WriteJoinedText(json, content, prefix: null);
        }

        if (hasThinking && history is ThinkingHistory.ReasoningContentField or ThinkingHistory.BothReasoningFields)
        {
            json.WritePropertyName("reasoning_content");
            WriteJoinedThinking(json, content);
        }

        if (hasThinking && history is ThinkingHistory.ReasoningField or ThinkingHistory.BothReasoningFields)
        {
            json.WritePropertyName("reasoning");
            WriteJoinedThinking(json, content);
        }

        if (Contains<ToolUseBlock>(content))
        {
            json.WriteStartArray("tool_calls");
            foreach (var block in content)
            {
                if (block is ToolUseBlock call)
                {
                    json.WriteStartObject();
                    json.WriteString("id", ToolCallIds.For(call.Id, profile.ToolCallIds));
                    json.WriteString("type", "function");
                    json.WriteStartObject("function");
                    json.WriteString("name", call.Name);
                    json.WriteString("arguments", call.InputJson);
                    json.WriteEndObject();
                    json.WriteEndObject();
                }
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    /// <summary>The text blocks of <paramref name="content"/> joined with newlines, as one JSON string.</summary>
    private static void WriteJoinedText(Utf8JsonWriter json, IReadOnlyList<ContentBlock> content, string? prefix) =>
        JsonTextOut.WriteJoined(json, content, prefix);

    /// <summary>
    /// Text and thinking in their order, each thinking block as <c>&lt;think&gt;\n…\n&lt;/think&gt;\n\n</c>: the layout
    /// the model wrote and its template renders.
    /// </summary>
    private static void WriteTextWithInlineThinking(Utf8JsonWriter json, IReadOnlyList<ContentBlock> content)
    {
        var afterText = false;
        foreach (var block in content)
        {
            switch (block)
            {
                case ThinkingBlock thinking:
                    json.WriteStringValueSegment("<think>\n", isFinalSegment: false);
                    json.WriteStringValueSegment(thinking.Thinking, isFinalSegment: false);
                    json.WriteStringValueSegment("\n</think>\n\n", isFinalSegment: false);
                    afterText = false;
                    break;
                case TextBlock text:
                    if (afterText)
                    {
                        json.WriteStringValueSegment("\n", isFinalSegment: false);
                    }

                    json.WriteStringValueSegment(text.Text, isFinalSegment: false);
                    afterText = true;
                    break;
            }
        }

        json.WriteStringValueSegment(ReadOnlySpan<char>.Empty, isFinalSegment: true);
    }

    private static void WriteJoinedThinking(Utf8JsonWriter json, IReadOnlyList<ContentBlock> content)
    {
        var first = true;
        foreach (var block in content)
        {
            if (block is ThinkingBlock thinking)
            {
                if (!first)
                {
                    json.WriteStringValueSegment("\n", isFinalSegment: false);
                }

                json.WriteStringValueSegment(thinking.Thinking, isFinalSegment: false);
                first = false;
            }
        }

        json.WriteStringValueSegment(ReadOnlySpan<char>.Empty, isFinalSegment: true);
    }

    private static bool Contains<T>(IReadOnlyList<ContentBlock> content)
        where T : ContentBlock
    {
        foreach (var block in content)
        {
            if (block is T)
            {
                return true;
            }
        }

        return false;
    }
}
