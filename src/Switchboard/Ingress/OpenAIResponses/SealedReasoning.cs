namespace Switchboard.Ingress.OpenAIResponses;

/// <summary>
/// What a reasoning item's <c>encrypted_content</c> holds: the thinking, and the signature the upstream that produced
/// it gave it (null: Switchboard's own reasoning, signed by Switchboard when read back).
/// </summary>
public sealed record SealedReasoning(string Thinking, string? UpstreamSignature);
