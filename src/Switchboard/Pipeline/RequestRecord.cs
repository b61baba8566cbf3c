using Switchboard.Canonical;

namespace Switchboard.Pipeline;

/// <summary>
/// Everything one request's outcome is known by, filled in by the stage that learns it (auth: key id; pipeline:
/// front door, model, target, usage, first-token time, error; hosting: status, duration, overhead). The single
/// source the request log line reads, and metrics and a usage ledger will. Not tied to HTTP: a batch runner keeps
/// one per item.
/// </summary>
public sealed class RequestRecord
{
    /// <summary>The request id (<c>req_…</c>) the client was given.</summary>
    public string? RequestId { get; set; }

    /// <summary>When the request arrived.</summary>
    public DateTimeOffset StartedAt { get; set; }

    public string? KeyId { get; set; }

    /// <summary>The authenticated caller, when a key was presented and known; null in open (loopback, keyless) mode.</summary>
    public ICaller? Caller { get; set; }

    /// <summary>The admitted request's share of the caller's limits, completed when the answer ends.</summary>
    public IAdmissionLease? Admission { get; set; }

    /// <summary>
    /// The caller's standing against its rate limits as the admit stage found it (also when it refused); the front
    /// door reports it in its rate-limit headers. Null when the caller has no rate limits.
    /// </summary>
    public RateLimitStatus? RateLimits { get; set; }

    /// <summary>The front door the request came in by, e.g. <c>anthropic</c>.</summary>
    public string? FrontDoor { get; set; }

    /// <summary>The model name the client asked for.</summary>
    public string? Model { get; set; }

    /// <summary>A token count (<c>count_tokens</c>): nothing was generated, and the usage ledger leaves it out.</summary>
    public bool TokenCountOnly { get; set; }

    /// <summary>The upstream the request was routed to.</summary>
    public string? Target { get; set; }

    /// <summary>The model name the upstream was asked for.</summary>
    public string? UpstreamModel { get; set; }

    /// <summary>Targets tried for this request (more than one after a failover); 0 when none was.</summary>
    public int Attempts { get; set; }

    /// <summary>Each of those attempts in order, with its outcome (the request detail's failover view); null when none was made.</summary>
    public List<UpstreamAttempt>? AttemptLog { get; set; }

    /// <summary>The session the client named in a header (Claude Code's, Codex's, <c>x-session-id</c>): the affinity key.</summary>
    public string? SessionKey { get; set; }

    /// <summary>The final status: the HTTP status, or 499 when the client left before the answer was complete.</summary>
    public int Status { get; set; }

    /// <summary>
    /// The client went away before the whole answer was written (also mid-stream, after a 200 went out): the
    /// upstream call was cancelled and the request is logged as 499, not as served.
    /// </summary>
    public bool ClientLeft { get; set; }

    /// <summary>Input tokens not read from or written to a cache.</summary>
    public int? InputTokens { get; set; }

    public int? CacheReadTokens { get; set; }

    public int? CacheWriteTokens { get; set; }

    public int? OutputTokens { get; set; }

    /// <summary>The part of the output that was reasoning, when the upstream reports it.</summary>
    public int? ReasoningTokens { get; set; }

    /// <summary>Milliseconds from request start to the first content sent to the client.</summary>
    public double? TimeToFirstTokenMs { get; set; }

    public double? DurationMs { get; set; }

    /// <summary>Microseconds spent in Switchboard outside waiting on an upstream.</summary>
    public long? OverheadUs { get; set; }

    /// <summary>The failure the client was told of, including one after a stream began.</summary>
    public ApiErrorKind? ErrorKind { get; set; }

    /// <summary>Web searches Switchboard ran for the answer (the web search server tool), when any.</summary>
    public int? WebSearches { get; set; }

    /// <summary>Pages Switchboard fetched for the answer (the web fetch server tool), when any.</summary>
    public int? WebFetches { get; set; }

    /// <summary>Settles usage from the final figures (Anthropic's meaning: input excludes cached tokens).</summary>
    public void Settle(Usage usage)
    {
        InputTokens = usage.InputTokens;
        CacheReadTokens = usage.CacheReadInputTokens;
        CacheWriteTokens = usage.CacheCreationInputTokens;
        OutputTokens = usage.OutputTokens;
        ReasoningTokens = usage.ReasoningTokens > 0 ? usage.ReasoningTokens : null;
        WebSearches = usage.WebSearchRequests > 0 ? usage.WebSearchRequests : null;
        WebFetches = usage.WebFetchRequests > 0 ? usage.WebFetchRequests : null;
    }

    /// <summary>All input tokens, cached or not.</summary>
    public int? TotalInputTokens => InputTokens + (CacheReadTokens ?? 0) + (CacheWriteTokens ?? 0);
}
