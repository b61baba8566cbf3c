using System.Text.Encodings.Web;
using System.Text.Json;

namespace Switchboard.Ingress.OpenAIChat;

/// <summary>Writer settings and fixed values of every Chat Completions response body and chunk.</summary>
public static class ChatJson
{
    /// <summary>Compact, with non-ASCII text as UTF-8: bodies go to API clients, never into HTML.</summary>
    public static JsonWriterOptions Writer { get; } = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    /// <summary>
    /// The <c>system_fingerprint</c> every answer carries: OpenAI's clients expect the field, and it names the
    /// backend configuration, which for Switchboard is the gateway itself.
    /// </summary>
    public const string SystemFingerprint = "fp_switchboard";
}
