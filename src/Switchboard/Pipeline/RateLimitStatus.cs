namespace Switchboard.Pipeline;

/// <summary>
/// Where a caller stands against its own per-minute limits, as of one moment: what the admit stage found, for the
/// front door to report in its dialect's rate-limit headers. A window is null when the caller has no such limit
/// (then no header is sent for it).
/// </summary>
public sealed record RateLimitStatus(DateTimeOffset AsOf, RateLimitWindow? Requests, RateLimitWindow? InputTokens, RateLimitWindow? OutputTokens)
{
    public bool Any => Requests is not null || InputTokens is not null || OutputTokens is not null;
}

/// <summary>
/// One limit: its size per minute, what is left now (never negative), and how long until it is full again
/// (a continuous bucket refills at <see cref="Limit"/> per minute).
/// </summary>
public readonly record struct RateLimitWindow(long Limit, long Remaining, TimeSpan ResetAfter);
