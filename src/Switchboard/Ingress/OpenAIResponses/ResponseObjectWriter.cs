using System.Text.Json;
using Switchboard.Canonical;

namespace Switchboard.Ingress.OpenAIResponses;

/// <summary>The state of a response object as written: in progress, or finished one way or another.</summary>
internal sealed record ResponseState(string Status)
{
    public static ResponseState InProgress { get; } = new("in_progress");

    public static ResponseState Completed { get; } = new("completed");

    public long? CompletedAt { get; init; }

    /// <summary><c>incomplete_details.reason</c> when <see cref="Status"/> is <c>incomplete</c>.</summary>
    public string? IncompleteReason { get; init; }

    /// <summary>The error of a <c>failed</c> response.</summary>
    public ApiError? Error { get; init; }
}

/// <summary>
/// Writes the Response object (<c>object: "response"</c>): id, times, status, error and incomplete details, the
/// output items, <c>output_text</c>, usage, and the request fields OpenAI's response echoes, as the client sent
/// them (the .NET SDK reads <c>tools</c> and <c>tool_choice</c> back from here). Every count is an integer: Codex
/// refuses a <c>usage</c> without <c>total_tokens</c> or with a fraction.
/// </summary>
internal static class ResponseObjectWriter
{
    public static void Write(
        Utf8JsonWriter w, ResponsesRequestInfo info, string id, long createdAt, ResponseState state,
        IReadOnlyList<byte[]> items, string? outputText, Usage? usage, int reasoningTokens)
    {
        w.WriteStartObject();
        w.WriteString("id"u8, id);
        w.WriteString("object"u8, "response"u8);
        w.WriteNumber("created_at"u8, createdAt);
        w.WriteString("status"u8, state.Status);
        if (state.CompletedAt is { } completedAt)
        {
            w.WriteNumber("completed_at"u8, completedAt);
        }
        else
        {
            w.WriteNull("completed_at"u8);
        }

        w.WriteBoolean("background"u8, false);
        if (state.Error is { } error)
        {
            w.WriteStartObject("error"u8);
            w.WriteString("code"u8, ErrorCode(error));
            w.WriteString("message"u8, error.Message);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("error"u8);
        }

        if (state.IncompleteReason is { } reason)
        {
            w.WriteStartObject("incomplete_details"u8);
            w.WriteString("reason"u8, reason);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("incomplete_details"u8);
        }

        WriteEcho(w, "instructions"u8, info.Instructions);
        WriteEcho(w, "max_output_tokens"u8, info.MaxOutputTokens);
        w.WriteNull("max_tool_calls"u8);
        w.WriteString("model"u8, info.Model);
        w.WriteStartArray("output"u8);
        foreach (var item in items)
        {
            w.WriteRawValue(item, skipInputValidation: true);
        }

        w.WriteEndArray();
        if (outputText is not null)
        {
            w.WriteString("output_text"u8, outputText);
        }

        w.WriteBoolean("parallel_tool_calls"u8, info.ParallelToolCalls);
        WriteString(w, "previous_response_id"u8, info.PreviousResponseId);
        WriteString(w, "prompt_cache_key"u8, info.PromptCacheKey);
        if (info.Reasoning.ValueKind == JsonValueKind.Object)
        {
            w.WritePropertyName("reasoning"u8);
            info.Reasoning.WriteTo(w);
        }
        else
        {
            w.WriteStartObject("reasoning"u8);
            w.WriteNull("effort"u8);
            w.WriteNull("summary"u8);
            w.WriteEndObject();
        }

        w.WriteNull("safety_identifier"u8);
        w.WriteString("service_tier"u8, info.ServiceTier ?? "default");
        w.WriteBoolean("store"u8, info.Store);
        WriteNumber(w, "temperature"u8, info.Temperature, 1.0);
        if (info.Text.ValueKind == JsonValueKind.Object)
        {
            w.WritePropertyName("text"u8);
            info.Text.WriteTo(w);
        }
        else
        {
            w.WriteStartObject("text"u8);
            w.WriteStartObject("format"u8);
            w.WriteString("type"u8, "text"u8);
            w.WriteEndObject();
            w.WriteString("verbosity"u8, "medium"u8);
            w.WriteEndObject();
        }

        if (info.ToolChoice.ValueKind is JsonValueKind.String or JsonValueKind.Object)
        {
            w.WritePropertyName("tool_choice"u8);
            info.ToolChoice.WriteTo(w);
        }
        else
        {
            w.WriteString("tool_choice"u8, "auto"u8);
        }

        w.WritePropertyName("tools"u8);
        if (info.Tools.ValueKind == JsonValueKind.Array)
        {
            info.Tools.WriteTo(w);
        }
        else
        {
            w.WriteStartArray();
            w.WriteEndArray();
        }

        w.WriteNumber("top_logprobs"u8, 0);
        WriteNumber(w, "top_p"u8, info.TopP, 1.0);
        w.WriteString("truncation"u8, info.Truncation ?? "disabled");
        if (usage is { } counted)
        {
            w.WritePropertyName("usage"u8);
            WriteUsage(w, counted, reasoningTokens);
        }
        else
        {
            w.WriteNull("usage"u8);
        }

        WriteString(w, "user"u8, info.User);
        if (info.Metadata.ValueKind == JsonValueKind.Object)
        {
            w.WritePropertyName("metadata"u8);
            info.Metadata.WriteTo(w);
        }
        else
        {
            w.WriteStartObject("metadata"u8);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    /// <summary>
    /// OpenAI's usage: <c>input_tokens</c> include cached ones (canonical input tokens exclude them), the cached
    /// share in <c>input_tokens_details.cached_tokens</c>, the reasoning share of the output in
    /// <c>output_tokens_details.reasoning_tokens</c>.
    /// </summary>
    public static void WriteUsage(Utf8JsonWriter w, Usage usage, int reasoningTokens)
    {
        var input = usage.InputTokens + usage.CacheReadInputTokens + usage.CacheCreationInputTokens;
        w.WriteStartObject();
        w.WriteNumber("input_tokens"u8, input);
        w.WriteStartObject("input_tokens_details"u8);
        w.WriteNumber("cached_tokens"u8, usage.CacheReadInputTokens);
        w.WriteEndObject();
        w.WriteNumber("output_tokens"u8, usage.OutputTokens);
        w.WriteStartObject("output_tokens_details"u8);
        w.WriteNumber("reasoning_tokens"u8, reasoningTokens);
        w.WriteEndObject();
        w.WriteNumber("total_tokens"u8, input + usage.OutputTokens);
        w.WriteEndObject();
    }

    /// <summary>
    /// The reasoning share of the output: the upstream's own figure, else an estimate from the thinking text's
    /// length (four characters a token), never more than the output tokens.
    /// </summary>
    public static int ReasoningTokens(long thinkingCharacters, Usage usage) =>
        usage.ReasoningTokens > 0 ? Math.Min(usage.ReasoningTokens, usage.OutputTokens)
        : thinkingCharacters <= 0 ? 0
        : (int)Math.Min(usage.OutputTokens, (thinkingCharacters + 3) / 4);

    /// <summary>The code Codex classifies a failed response by (§1.5 of the research): OpenAI's code for the kind.</summary>
    public static string ErrorCode(ApiError error) =>
        error.Code ?? error.Kind switch
        {
            ApiErrorKind.RateLimit => "rate_limit_exceeded",
            ApiErrorKind.Billing => "insufficient_quota",
            ApiErrorKind.Overloaded or ApiErrorKind.BadGateway => "server_is_overloaded",
            ApiErrorKind.InvalidRequest => "invalid_prompt",
            _ => "server_error",
        };

    private static void WriteEcho(Utf8JsonWriter w, ReadOnlySpan<byte> name, JsonElement value)
    {
        w.WritePropertyName(name);
        if (value.ValueKind == JsonValueKind.Undefined)
        {
            w.WriteNullValue();
        }
        else
        {
            value.WriteTo(w);
        }
    }

    private static void WriteNumber(Utf8JsonWriter w, ReadOnlySpan<byte> name, JsonElement value, double fallback)
    {
        if (value.ValueKind == JsonValueKind.Number)
        {
            w.WritePropertyName(name);
            value.WriteTo(w);
        }
        else
        {
            w.WriteNumber(name, fallback);
        }
    }

    private static void WriteString(Utf8JsonWriter w, ReadOnlySpan<byte> name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }
}
