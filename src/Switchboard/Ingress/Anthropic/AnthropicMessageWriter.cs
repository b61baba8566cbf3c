using System.Text.Json;
using Switchboard.Canonical;

namespace Switchboard.Ingress.Anthropic;

/// <summary>Writes a complete <see cref="MessageResponse"/> as an Anthropic <c>Message</c> (the non-streaming body).</summary>
public static class AnthropicMessageWriter
{
    /// <param name="edits">The context edits Switchboard applied to the request; null: none to report.</param>
    public static void Write(Utf8JsonWriter w, MessageResponse message, IReadOnlyList<AppliedContextEdit>? edits = null)
    {
        w.WriteStartObject();
        w.WriteString("id"u8, message.Id);
        w.WriteString("type"u8, "message"u8);
        w.WriteString("role"u8, "assistant"u8);
        w.WriteString("model"u8, message.Model);
        w.WriteStartArray("content"u8);
        if (message.Content.Count == 0)
        {
            // Some clients reject an empty content list; Anthropic itself answers an empty turn with one empty text block.
            WriteText(w, "");
        }

        foreach (var block in message.Content)
        {
            WriteBlock(w, block);
        }

        w.WriteEndArray();
        w.WriteString("stop_reason"u8, AnthropicStopReasons.ToWire(message.StopReason));
        w.WriteString("stop_sequence"u8, message.StopSequence);
        AnthropicUsageWriter.Write(w, message.Usage);
        ContextManagementWriter.Write(w, edits);
        w.WriteEndObject();
    }

    private static void WriteBlock(Utf8JsonWriter w, ContentBlock block)
    {
        switch (block)
        {
            case TextBlock text:
                WriteText(w, text.Text);
                break;
            case ThinkingBlock thinking:
                w.WriteStartObject();
                w.WriteString("type"u8, "thinking"u8);
                w.WriteString("thinking"u8, thinking.Thinking);
                w.WriteString("signature"u8, thinking.Signature);
                w.WriteEndObject();
                break;
            case RedactedThinkingBlock redacted:
                w.WriteStartObject();
                w.WriteString("type"u8, "redacted_thinking"u8);
                w.WriteString("data"u8, redacted.Data);
                w.WriteEndObject();
                break;
            case ToolUseBlock tool:
                w.WriteStartObject();
                w.WriteString("type"u8, "tool_use"u8);
                w.WriteString("id"u8, tool.Id);
                w.WriteString("name"u8, tool.Name);
                w.WritePropertyName("input"u8);
                WriteInput(w, tool.InputJson);
                w.WriteEndObject();
                break;
            case RawBlock { Dialect: "anthropic" } raw:
                // An upstream's block Switchboard does not interpret (redacted thinking, server-tool blocks), as sent.
                w.WriteRawValue(raw.Json, skipInputValidation: true);
                break;
            case CitedTextBlock cited:
                ServerToolBlockWriter.WriteCitedText(w, cited);
                break;
            case ServerToolUseBlock or WebSearchResultBlock or WebFetchResultBlock:
                ServerToolBlockWriter.Write(w, block);
                break;
            default:
                // Images and tool results belong to requests; an assistant message never carries them.
                break;
        }
    }

    private static void WriteText(Utf8JsonWriter w, string text)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "text"u8);
        w.WriteString("text"u8, text);
        w.WriteEndObject();
    }

    /// <summary>Input is normalized object text already; a value that is not JSON still must not break the body.</summary>
    private static void WriteInput(Utf8JsonWriter w, string inputJson)
    {
        try
        {
            w.WriteRawValue(inputJson);
        }
        catch (JsonException)
        {
            w.WriteStartObject();
            w.WriteEndObject();
        }
    }
}
