using System.Text.Json;

namespace Switchboard.Canonical;

public enum StopReason
{
    EndTurn,
    MaxTokens,
    StopSequence,
    ToolUse,
    Refusal,
    PauseTurn,
    ModelContextWindowExceeded,
}

/// <summary>
/// Token counts in Anthropic's meaning: <see cref="InputTokens"/> excludes cached tokens. <see cref="ReasoningTokens"/>
/// is the part of <see cref="OutputTokens"/> the upstream reports as reasoning (0 when it reports none).
/// </summary>
public readonly record struct Usage(int InputTokens, int OutputTokens, int CacheReadInputTokens, int CacheCreationInputTokens, int ReasoningTokens = 0)
{
    /// <summary>Web searches Switchboard ran for the answer (<c>usage.server_tool_use.web_search_requests</c>).</summary>
    public int WebSearchRequests { get; init; }

    /// <summary>Web fetches Switchboard ran for the answer (<c>usage.server_tool_use.web_fetch_requests</c>).</summary>
    public int WebFetchRequests { get; init; }
}

/// <summary>A complete assistant message.</summary>
public sealed class MessageResponse
{
    public required string Id { get; init; }

    public required string Model { get; init; }

    public required IReadOnlyList<ContentBlock> Content { get; init; }

    public required StopReason StopReason { get; init; }

    public string? StopSequence { get; init; }

    public required Usage Usage { get; init; }

    /// <summary>
    /// The upstream's token log probability entries (OpenAI's <c>logprobs.content</c>), in its order; null when it
    /// sent none. Only a door that asked for them gets them (see <see cref="ILogprobsSink"/>).
    /// </summary>
    public IReadOnlyList<JsonElement>? Logprobs { get; init; }
}
