using Switchboard.Canonical;

namespace Switchboard.Ingress.OpenAIChat;

/// <summary>
/// Canonical stop reasons as <c>finish_reason</c>. Only OpenAI's own values go out: the .NET SDK throws on any
/// other (<c>Unknown ChatFinishReason value</c>).
/// </summary>
public static class ChatFinishReasons
{
    public static ReadOnlySpan<byte> ToWire(StopReason reason) => reason switch
    {
        StopReason.MaxTokens or StopReason.ModelContextWindowExceeded => "length"u8,
        StopReason.ToolUse => "tool_calls"u8,
        StopReason.Refusal => "content_filter"u8,
        _ => "stop"u8,
    };
}
