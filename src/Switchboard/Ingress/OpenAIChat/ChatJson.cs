namespace Switchboard.Ingress.OpenAIChat;

/// <summary>Fixed values of every Chat Completions response body and chunk.</summary>
public static class ChatJson
{
    /// <summary>
    /// The <c>system_fingerprint</c> every answer carries: OpenAI's clients expect the field, and it names the
    /// backend configuration, which for Switchboard is the gateway itself.
    /// </summary>
    public const string SystemFingerprint = "fp_switchboard";
}
