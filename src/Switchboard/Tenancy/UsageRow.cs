namespace Switchboard.Tenancy;

/// <summary>
/// One request in the usage ledger: who, what, where to, how it ended, how many tokens and what they cost. Never
/// prompt text. Written once per request id.
/// </summary>
public sealed record UsageRow
{
    public required DateTimeOffset Time { get; init; }

    public required string RequestId { get; init; }

    /// <summary>The key's id, or null when no key was needed (open loopback mode).</summary>
    public string? KeyId { get; init; }

    /// <summary>The front door: <c>anthropic</c>, <c>openai-chat</c>, …</summary>
    public required string FrontDoor { get; init; }

    /// <summary>The model name the client asked for.</summary>
    public string? Model { get; init; }

    /// <summary>The upstream the request was routed to.</summary>
    public string? Upstream { get; init; }

    /// <summary>The model name the upstream was asked for.</summary>
    public string? UpstreamModel { get; init; }

    public required int Status { get; init; }

    /// <summary>The error kind's name when the request failed (<c>RateLimit</c>, <c>BadGateway</c>, …).</summary>
    public string? ErrorKind { get; init; }

    public long InputTokens { get; init; }

    public long CacheReadTokens { get; init; }

    public long CacheWriteTokens { get; init; }

    public long OutputTokens { get; init; }

    public long ReasoningTokens { get; init; }

    /// <summary>Cost in millionths of a US dollar.</summary>
    public long CostMicros { get; init; }

    public double? TimeToFirstTokenMs { get; init; }

    public double DurationMs { get; init; }

    public long OverheadUs { get; init; }

    /// <summary>The upstream attempts in order (more than one after a failover); null when no upstream was tried.</summary>
    public IReadOnlyList<UsageAttempt>? Attempts { get; init; }
}

/// <summary>How usage totals are grouped.</summary>
public enum UsageGrouping
{
    Key,
    Model,
    Day,
}

/// <summary>A usage question: totals grouped one way, optionally for one key and a time range [From, To).</summary>
public sealed record UsageQuery(UsageGrouping GroupBy, string? KeyId = null, DateTimeOffset? From = null, DateTimeOffset? To = null);

/// <summary>Totals for one group (a key id, a model name, or a day as <c>yyyy-MM-dd</c>).</summary>
public sealed record UsageTotal(
    string Group, long Requests, long InputTokens, long CacheReadTokens, long CacheWriteTokens, long OutputTokens,
    long ReasoningTokens, long CostMicros);
