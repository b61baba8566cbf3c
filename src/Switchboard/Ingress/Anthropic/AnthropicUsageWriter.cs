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
        if (usage.WebSearchRequests > 0 || usage.WebFetchRequests > 0)
        {
            // Only when Switchboard ran a server tool: Anthropic leaves the field out of answers that used none.
            w.WriteStartObject("server_tool_use"u8);
            w.WriteNumber("web_search_requests"u8, usage.WebSearchRequests);
            w.WriteNumber("web_fetch_requests"u8, usage.WebFetchRequests);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }
}
