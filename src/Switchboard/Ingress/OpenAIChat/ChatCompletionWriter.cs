using System.Text.Json;
using Switchboard.Canonical;

namespace Switchboard.Ingress.OpenAIChat;

/// <summary>
/// Writes a whole answer as a <c>chat.completion</c>. Chat carries one text, one reasoning text and a list of tool
/// calls per message, so text blocks are joined in order (as are thinking blocks), and the order between them is
/// not kept. <c>content</c> is null when the answer is only tool calls, as OpenAI's is.
/// </summary>
public static class ChatCompletionWriter
{
    public static void Write(Utf8JsonWriter w, MessageResponse message, long created, bool alsoSendReasoning)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(message);
        w.WriteStartObject();
        w.WriteString("id"u8, ChatCompletionIds.Completion(message.Id));
        w.WriteString("object"u8, "chat.completion"u8);
        w.WriteNumber("created"u8, created);
        w.WriteString("model"u8, message.Model);
        w.WriteString("system_fingerprint"u8, ChatJson.SystemFingerprint);
        w.WriteStartArray("choices"u8);
        w.WriteStartObject();
        w.WriteNumber("index"u8, 0);
        w.WriteStartObject("message"u8);
        w.WriteString("role"u8, "assistant"u8);
        var (hasText, hasThinking, hasTools) = Kinds(message.Content);
        if (hasText || !hasTools)
        {
            WriteJoined<TextBlock>(w, "content"u8, message.Content);
        }
        else
        {
            w.WriteNull("content"u8);
        }

        long thinkingCharacters = 0;
        if (hasThinking)
        {
            thinkingCharacters = WriteJoined<ThinkingBlock>(w, "reasoning_content"u8, message.Content);
            if (alsoSendReasoning)
            {
                WriteJoined<ThinkingBlock>(w, "reasoning"u8, message.Content);
            }
        }

        if (hasTools)
        {
            WriteToolCalls(w, message.Content);
        }

        w.WriteNull("refusal"u8);
        w.WriteEndObject();
        if (message.Logprobs is { Count: > 0 } logprobs)
        {
            ChatLogprobsWriter.Write(w, logprobs);
        }
        else
        {
            w.WriteNull("logprobs"u8);
        }

        w.WriteString("finish_reason"u8, ChatFinishReasons.ToWire(message.StopReason));
        w.WriteEndObject();
        w.WriteEndArray();
        ChatUsageWriter.Write(w, message.Usage, ChatUsageWriter.ReasoningTokens(thinkingCharacters, message.Usage));
        w.WriteEndObject();
    }

    private static (bool Text, bool Thinking, bool Tools) Kinds(IReadOnlyList<ContentBlock> content)
    {
        bool text = false, thinking = false, tools = false;
        foreach (var block in content)
        {
            text |= block is TextBlock;
            thinking |= block is ThinkingBlock;
            tools |= block is ToolUseBlock;
        }

        return (text, thinking, tools);
    }

    /// <summary>Writes the text of every block of one kind as one string, in segments; returns its length.</summary>
    private static long WriteJoined<T>(Utf8JsonWriter w, ReadOnlySpan<byte> name, IReadOnlyList<ContentBlock> content)
        where T : ContentBlock
    {
        w.WritePropertyName(name);
        long length = 0;
        foreach (var block in content)
        {
            var text = block switch
            {
                TextBlock t when typeof(T) == typeof(TextBlock) => t.Text,
                ThinkingBlock t when typeof(T) == typeof(ThinkingBlock) => t.Thinking,
                _ => null,
            };
            if (text is not null)
            {
                w.WriteStringValueSegment(text, isFinalSegment: false);
                length += text.Length;
            }
        }

        w.WriteStringValueSegment(ReadOnlySpan<char>.Empty, isFinalSegment: true);
        return length;
    }

    private static void WriteToolCalls(Utf8JsonWriter w, IReadOnlyList<ContentBlock> content)
    {
        w.WriteStartArray("tool_calls"u8);
        foreach (var block in content)
        {
            if (block is not ToolUseBlock tool)
            {
                continue;
            }

            w.WriteStartObject();
            w.WriteString("id"u8, ChatCompletionIds.Call(tool.Id));
            w.WriteString("type"u8, "function"u8);
            w.WriteStartObject("function"u8);
            w.WriteString("name"u8, tool.Name);

            // Always a string that parses: the accumulator has repaired the input into a JSON object.
            w.WriteString("arguments"u8, tool.InputJson.Length == 0 ? "{}" : tool.InputJson);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}
