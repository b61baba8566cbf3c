using System.Text.Encodings.Web;
using System.Text.Json;

namespace Switchboard.Ingress;

/// <summary>Writer settings for every body and event a front door sends to a client.</summary>
public static class ClientJson
{
    /// <summary>
    /// Compact output with the relaxed encoder: bodies go to API clients as JSON or SSE, never into HTML, so
    /// non-ASCII text is written as UTF-8 (as Anthropic and OpenAI do) instead of as <c>\uXXXX</c> escapes.
    /// </summary>
    public static JsonWriterOptions Writer { get; } = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };
}
