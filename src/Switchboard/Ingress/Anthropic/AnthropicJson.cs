using System.Text.Encodings.Web;
using System.Text.Json;

namespace Switchboard.Ingress.Anthropic;

/// <summary>Writer settings for every Anthropic response body and event.</summary>
public static class AnthropicJson
{
    /// <summary>
    /// Compact output with the relaxed encoder: bodies go to API clients as JSON or SSE, never into HTML, so
    /// non-ASCII text is written as UTF-8 (as Anthropic does) instead of as <c>\uXXXX</c> escapes.
    /// </summary>
    public static JsonWriterOptions Writer { get; } = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };
}
