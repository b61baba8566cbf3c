using System.Text.Json;
using Switchboard.Canonical;

namespace Switchboard.Ingress.Anthropic;

/// <summary>Writes a <c>usage</c> object; shared by the message body, <c>message_start</c> and <c>message_delta</c>.</summary>
public static class AnthropicUsageWriter
{
    /// <summary>
    /// All four counts, always: clients treat the <c>message_delta</c> counts as cumulative totals, and Claude Code
    /// prices a turn from them.
    /// </summary>
    public static void Write(Utf8JsonWriter w, Usage usage)
    {
        w.WriteStartObject("usage"u8);
        w.WriteNumber("input_tokens"u8, usage.InputTokens);
        w.WriteNumber("cache_creation_input_tokens"u8, usage.CacheCreationInputTokens);
        w.WriteNumber("cache_read_input_tokens"u8, usage.CacheReadInputTokens);
        w.WriteNumber("output_tokens"u8, usage.OutputTokens);
        w.WriteEndObject();
    }
}
