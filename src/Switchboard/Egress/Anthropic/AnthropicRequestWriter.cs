using System.Buffers;
using System.Text.Json;
using Switchboard.Canonical;
using Switchboard.Egress.OpenAIChat;

namespace Switchboard.Egress.Anthropic;

/// <summary>
/// Writes a canonical request as a Messages API body, straight to UTF-8: for requests that came in another dialect
/// (Chat Completions, Responses), or a Messages request whose conversation Switchboard changed. Thinking goes back
/// only when another signer signed it (<see cref="SignedBy.Upstream"/>): Switchboard's own signatures and unsigned
/// reasoning mean nothing to the upstream, which would refuse them. Raw blocks and tools of the Messages dialect go
/// as they were sent. OpenAI-only sampling controls (seed, penalties, logit bias) have no Messages field and are
/// not sent.
/// </summary>
internal static class AnthropicRequestWriter
{
    /// <summary>The budget for a request that has none and a model with no configured output limit.</summary>
    internal const int DefaultMaxTokens = 4096;

    /// <param name="countOnly">A <c>count_tokens</c> body: no budget, stream or sampling fields.</param>
    public static void Write(IBufferWriter<byte> output, MessageRequest request, string upstreamModel, bool countOnly)
    {
        using var json = new Utf8JsonWriter(output, ChatRequestWriter.WriterOptions);
        json.WriteStartObject();
        json.WriteString("model"u8, upstreamModel);
        if (!countOnly)
        {
            json.WriteNumber("max_tokens"u8, request.MaxTokens is { } budget and > 0 ? budget : Fallback(request));
        }

        if (!string.IsNullOrEmpty(request.System))
        {
            json.WriteString("system"u8, request.System);
        }

        WriteMessages(json, request.Messages);
        WriteTools(json, request);
        WriteThinking(json, request);
        if (!countOnly)
        {
            WriteSampling(json, request);
            if (request.Stream)
            {
                json.WriteBoolean("stream"u8, true);
            }
        }

        json.WriteEndObject();
    }

    /// <summary>Without a budget, enough for a thinking budget plus an answer.</summary>
    private static int Fallback(MessageRequest request) =>
        request.Thinking is { Mode: ThinkingMode.Enabled, BudgetTokens: { } thinking } ? thinking + DefaultMaxTokens : DefaultMaxTokens;

    private static void WriteMessages(Utf8JsonWriter json, IReadOnlyList<Message> messages)
    {
        json.WriteStartArray("messages"u8);
        foreach (var message in messages)
        {
            // The Messages API refuses a turn with no content (one that held only thinking it cannot take).
            if (!message.Content.Any(Writable))
            {
                continue;
            }

            json.WriteStartObject();

            // The Messages API has no system turn inside the conversation; an inline one goes as the user's words.
            json.WriteString("role"u8, message.Role == Role.Assistant ? "assistant"u8 : "user"u8);
            json.WriteStartArray("content"u8);
            foreach (var block in message.Content)
            {
                WriteBlock(json, block);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static bool Writable(ContentBlock block) => block switch
    {
        TextBlock text => text.Text.Length > 0,
        ThinkingBlock thinking => thinking.SignedBy == SignedBy.Upstream,
        _ => true,
    };

    private static void WriteBlock(Utf8JsonWriter json, ContentBlock block)
    {
        if (!Writable(block))
        {
            return;
        }

        switch (block)
        {
            case TextBlock text:
                json.WriteStartObject();
                json.WriteString("type"u8, "text"u8);
                json.WriteString("text"u8, text.Text);
                json.WriteEndObject();
                break;
            case ImageBlock image:
                WriteImage(json, image);
                break;
            case ToolUseBlock toolUse:
                json.WriteStartObject();
                json.WriteString("type"u8, "tool_use"u8);
                json.WriteString("id"u8, toolUse.Id);
                json.WriteString("name"u8, toolUse.Name);
                json.WritePropertyName("input"u8);
                WriteInput(json, toolUse.InputJson);
                json.WriteEndObject();
                break;
            case ToolResultBlock result:
                json.WriteStartObject();
                json.WriteString("type"u8, "tool_result"u8);
                json.WriteString("tool_use_id"u8, result.ToolUseId);
                json.WriteStartArray("content"u8);
                foreach (var inner in result.Content)
                {
                    WriteBlock(json, inner);
                }

                json.WriteEndArray();
                if (result.IsError)
                {
                    json.WriteBoolean("is_error"u8, true);
                }

                json.WriteEndObject();
                break;
            case ThinkingBlock { SignedBy: SignedBy.Upstream } thinking:
                json.WriteStartObject();
                json.WriteString("type"u8, "thinking"u8);
                json.WriteString("thinking"u8, thinking.Thinking);
                json.WriteString("signature"u8, thinking.Signature);
                json.WriteEndObject();
                break;
            case RedactedThinkingBlock redacted:
                json.WriteStartObject();
                json.WriteString("type"u8, "redacted_thinking"u8);
                json.WriteString("data"u8, redacted.Data);
                json.WriteEndObject();
                break;
            case RawBlock raw:
                json.WriteRawValue(raw.Json, skipInputValidation: true);
                break;
        }
    }

    private static void WriteImage(Utf8JsonWriter json, ImageBlock image)
    {
        json.WriteStartObject();
        json.WriteString("type"u8, "image"u8);
        json.WriteStartObject("source"u8);
        if (image.Url is { } url)
        {
            if (DataUri.TryParse(url, out var mediaType, out var data))
            {
                json.WriteString("type"u8, "base64"u8);
                json.WriteString("media_type"u8, mediaType);
                json.WriteString("data"u8, data);
            }
            else
            {
                json.WriteString("type"u8, "url"u8);
                json.WriteString("url"u8, url);
            }
        }
        else
        {
            json.WriteString("type"u8, "base64"u8);
            json.WriteString("media_type"u8, image.MediaType);
            json.WriteString("data"u8, image.Base64Data);
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>A tool call's input must be an object; anything else a client sent back goes as an empty one.</summary>
    private static void WriteInput(Utf8JsonWriter json, string inputJson)
    {
        try
        {
            using var document = JsonDocument.Parse(inputJson);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                document.RootElement.WriteTo(json);
                return;
            }
        }
        catch (JsonException)
        {
        }

        json.WriteStartObject();
        json.WriteEndObject();
    }

    private static void WriteTools(Utf8JsonWriter json, MessageRequest request)
    {
        if (request.Tools.Count + request.RawTools.Count > 0)
        {
            json.WriteStartArray("tools"u8);
            foreach (var tool in request.Tools)
            {
                json.WriteStartObject();
                json.WriteString("name"u8, tool.Name);
                if (tool.Description is { } description)
                {
                    json.WriteString("description"u8, description);
                }

                json.WritePropertyName("input_schema"u8);
                if (tool.InputSchema.ValueKind == JsonValueKind.Object)
                {
                    tool.InputSchema.WriteTo(json);
                }
                else
                {
                    json.WriteStartObject();
                    json.WriteString("type"u8, "object"u8);
                    json.WriteEndObject();
                }

                json.WriteEndObject();
            }

            foreach (var raw in request.RawTools)
            {
                raw.Json.WriteTo(json);
            }

            json.WriteEndArray();
        }

        if (request.ToolChoice is { } choice && (request.Tools.Count + request.RawTools.Count > 0 || choice.Kind == ToolChoiceKind.None))
        {
            json.WriteStartObject("tool_choice"u8);
            json.WriteString("type"u8, choice.Kind switch
            {
                ToolChoiceKind.Any => "any",
                ToolChoiceKind.None => "none",
                ToolChoiceKind.Tool => "tool",
                _ => "auto",
            });
            if (choice.Kind == ToolChoiceKind.Tool && choice.Name is { } name)
            {
                json.WriteString("name"u8, name);
            }

            if (choice.DisableParallelToolUse && choice.Kind != ToolChoiceKind.None)
            {
                json.WriteBoolean("disable_parallel_tool_use"u8, true);
            }

            json.WriteEndObject();
        }
    }

    private static void WriteThinking(Utf8JsonWriter json, MessageRequest request)
    {
        if (request.Thinking is { } thinking)
        {
            json.WriteStartObject("thinking"u8);
            switch (thinking.Mode)
            {
                case ThinkingMode.Enabled:
                    json.WriteString("type"u8, "enabled"u8);
                    json.WriteNumber("budget_tokens"u8, Math.Max(1024, thinking.BudgetTokens ?? 1024));
                    break;
                case ThinkingMode.Adaptive:
                    json.WriteString("type"u8, "adaptive"u8);
                    break;
                default:
                    json.WriteString("type"u8, "disabled"u8);
                    break;
            }

            json.WriteEndObject();
        }

        if (request.Effort is not null || request.ResponseFormat is { Kind: ResponseFormatKind.JsonSchema, Schema: not null })
        {
            json.WriteStartObject("output_config"u8);
            if (request.Effort is { } effort)
            {
                json.WriteString("effort"u8, effort);
            }

            if (request.ResponseFormat is { Kind: ResponseFormatKind.JsonSchema, Schema: { } schema })
            {
                json.WriteStartObject("format"u8);
                json.WriteString("type"u8, "json_schema"u8);
                json.WritePropertyName("schema"u8);
                schema.WriteTo(json);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }
    }

    private static void WriteSampling(Utf8JsonWriter json, MessageRequest request)
    {
        if (request.Temperature is { } temperature)
        {
            // The Messages API takes 0 to 1; OpenAI's range goes to 2.
            json.WriteNumber("temperature"u8, Math.Clamp(temperature, 0, 1));
        }

        if (request.TopP is { } topP)
        {
            json.WriteNumber("top_p"u8, topP);
        }

        if (request.TopK is { } topK)
        {
            json.WriteNumber("top_k"u8, topK);
        }

        if (request.StopSequences.Count > 0)
        {
            json.WriteStartArray("stop_sequences"u8);
            foreach (var stop in request.StopSequences)
            {
                json.WriteStringValue(stop);
            }

            json.WriteEndArray();
        }

        if (request.UserId is { } user)
        {
            json.WriteStartObject("metadata"u8);
            json.WriteString("user_id"u8, user);
            json.WriteEndObject();
        }
    }
}
