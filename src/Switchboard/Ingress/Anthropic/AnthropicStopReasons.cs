using System.Text.Json;
using Switchboard.Canonical;

namespace Switchboard.Ingress.Anthropic;

/// <summary>The wire names of <see cref="StopReason"/> values.</summary>
public static class AnthropicStopReasons
{
    private static readonly JsonEncodedText EndTurn = JsonEncodedText.Encode("end_turn");
    private static readonly JsonEncodedText MaxTokens = JsonEncodedText.Encode("max_tokens");
    private static readonly JsonEncodedText StopSequence = JsonEncodedText.Encode("stop_sequence");
    private static readonly JsonEncodedText ToolUse = JsonEncodedText.Encode("tool_use");
    private static readonly JsonEncodedText Refusal = JsonEncodedText.Encode("refusal");
    private static readonly JsonEncodedText PauseTurn = JsonEncodedText.Encode("pause_turn");
    private static readonly JsonEncodedText ContextWindowExceeded = JsonEncodedText.Encode("model_context_window_exceeded");

    public static JsonEncodedText ToWire(StopReason reason) => reason switch
    {
        StopReason.MaxTokens => MaxTokens,
        StopReason.StopSequence => StopSequence,
        StopReason.ToolUse => ToolUse,
        StopReason.Refusal => Refusal,
        StopReason.PauseTurn => PauseTurn,
        StopReason.ModelContextWindowExceeded => ContextWindowExceeded,
        _ => EndTurn,
    };
}
