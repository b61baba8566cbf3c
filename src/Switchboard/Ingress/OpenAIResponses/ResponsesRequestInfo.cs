using System.Text.Json;

namespace Switchboard.Ingress.OpenAIResponses;

/// <summary>
/// What the Responses writers need of a request beyond the canonical one: the fields a response object echoes (as
/// the client sent them), how reasoning is shown, and which canonical tool names stand for grouped or freeform
/// tools. JSON values reference the request's parsed document, which lives until the answer is written.
/// </summary>
internal sealed class ResponsesRequestInfo
{
    /// <summary>The model as the client asked for it.</summary>
    public required string Model { get; init; }

    public JsonElement Instructions { get; init; }

    /// <summary>The <c>tools</c> array as sent (hosted tools included: the SDKs read the echo in the spec's shape).</summary>
    public JsonElement Tools { get; init; }

    public JsonElement ToolChoice { get; init; }

    public JsonElement Temperature { get; init; }

    public JsonElement TopP { get; init; }

    public JsonElement MaxOutputTokens { get; init; }

    public bool ParallelToolCalls { get; init; } = true;

    /// <summary><c>store</c>: true unless the client sent <c>false</c>.</summary>
    public bool Store { get; init; } = true;

    public JsonElement Metadata { get; init; }

    public JsonElement Text { get; init; }

    public JsonElement Reasoning { get; init; }

    public string? PreviousResponseId { get; init; }

    public string? Truncation { get; init; }

    public string? User { get; init; }

    public string? PromptCacheKey { get; init; }

    public string? ServiceTier { get; init; }

    /// <summary><c>include</c> has <c>reasoning.encrypted_content</c>: reasoning items carry the sealed thinking.</summary>
    public bool IncludeEncryptedReasoning { get; init; }

    /// <summary>
    /// Reasoning goes out as <c>summary</c> parts (the client set <c>reasoning.summary</c>, as Codex does) rather than
    /// as raw <c>content</c> (<c>reasoning_text</c>) parts.
    /// </summary>
    public bool ReasoningAsSummary { get; init; }

    /// <summary>Canonical tool names that are not plain functions: a namespace member or a freeform (custom) tool.</summary>
    public IReadOnlyDictionary<string, ClientTool> SpecialTools { get; init; } = new Dictionary<string, ClientTool>();

    /// <summary>How a canonical tool call goes back to the client.</summary>
    public ClientTool ToolFor(string canonicalName) =>
        SpecialTools.TryGetValue(canonicalName, out var tool) ? tool : new ClientTool(canonicalName, null, Freeform: false);
}

/// <summary>A tool as the client named it: its own name, its namespace, and whether its input is free text.</summary>
internal sealed record ClientTool(string Name, string? Namespace, bool Freeform);
