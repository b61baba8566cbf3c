using System.Text.Json;
using Switchboard.Canonical;

namespace Switchboard.Egress.OpenAIChat;

/// <summary>Maps a choice's <c>finish_reason</c>, and the stop string servers report beside it, to a stop reason.</summary>
internal static class FinishReasons
{
    /// <summary>Reads a <c>finish_reason</c> string token; a value it does not know means the turn simply ended.</summary>
    public static FinishReason Read(ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals("stop"u8))
        {
            return FinishReason.Stop;
        }

        if (reader.ValueTextEquals("length"u8))
        {
            return FinishReason.Length;
        }

        if (reader.ValueTextEquals("tool_calls"u8) || reader.ValueTextEquals("function_call"u8))
        {
            return FinishReason.ToolCalls;
        }

        return reader.ValueTextEquals("content_filter"u8) ? FinishReason.ContentFilter : FinishReason.Other;
    }

    /// <summary>
    /// The canonical stop reason and stop sequence. vLLM's <c>stop_reason</c> string is the stop string that matched,
    /// and is reported even when it is not one the request listed (it is still why the model stopped). SGLang's
    /// <c>matched_stop</c> can also be a stop string its chat template added, so it counts only when the request
    /// listed it.
    /// </summary>
    public static (StopReason Reason, string? StopSequence) Resolve(
        FinishReason finish, string? stopReason, string? matchedStop, IReadOnlyList<string> stopSequences)
    {
        switch (finish)
        {
            case FinishReason.Length:
                return (StopReason.MaxTokens, null);
            case FinishReason.ToolCalls:
                return (StopReason.ToolUse, null);
            case FinishReason.ContentFilter:
                return (StopReason.Refusal, null);
            case FinishReason.Stop when stopReason is not null:
                return (StopReason.StopSequence, stopReason);
            case FinishReason.Stop when matchedStop is not null && Contains(stopSequences, matchedStop):
                return (StopReason.StopSequence, matchedStop);
            default:
                return (StopReason.EndTurn, null);
        }
    }

    private static bool Contains(IReadOnlyList<string> values, string value)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (string.Equals(values[i], value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}

internal enum FinishReason
{
    None,
    Stop,
    Length,
    ToolCalls,
    ContentFilter,
    Other,
}
