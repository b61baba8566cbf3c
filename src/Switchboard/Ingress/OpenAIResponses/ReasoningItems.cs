namespace Switchboard.Ingress.OpenAIResponses;

/// <summary>The <c>encrypted_content</c> of a reasoning item the door writes.</summary>
internal static class ReasoningItems
{
    /// <summary>
    /// The sealed thinking (with the upstream's signature when it gave one), or null. Sealed when <c>include</c> asks
    /// for it, and also for an upstream-signed block of a stored response: that upstream refuses a tool-use turn whose
    /// thinking comes back without its signature, and a <c>previous_response_id</c> replay has only the stored item.
    /// </summary>
    public static string? Sealed(ReasoningSeal seal, ResponsesRequestInfo info, string thinking, string? upstreamSignature) =>
        info.IncludeEncryptedReasoning || (info.Store && !string.IsNullOrEmpty(upstreamSignature))
            ? seal.Seal(thinking, upstreamSignature)
            : null;
}
