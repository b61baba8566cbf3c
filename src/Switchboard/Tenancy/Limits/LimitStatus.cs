using Switchboard.Pipeline;

namespace Switchboard.Tenancy.Limits;

/// <summary>Turns a key's bucket levels into the <see cref="RateLimitStatus"/> the doors report: only the limits the key has.</summary>
public static class LimitStatus
{
    /// <summary>Null when the key has no per-minute limit (a concurrency cap alone has no header).</summary>
    public static RateLimitStatus? From(KeyLimits limits, CounterLevels levels, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (limits.RequestsPerMinute is null && limits.InputTokensPerMinute is null && limits.OutputTokensPerMinute is null)
        {
            return null;
        }

        return new RateLimitStatus(
            asOf,
            Window(limits.RequestsPerMinute, levels.Requests),
            Window(limits.InputTokensPerMinute, levels.InputTokens),
            Window(limits.OutputTokensPerMinute, levels.OutputTokens));
    }

    private static RateLimitWindow? Window(long? limit, double level) => limit is { } capacity
        ? new RateLimitWindow(capacity, (long)Math.Floor(Math.Max(0, level)), TimeSpan.FromSeconds(TokenBucket.SecondsUntilFull(level, capacity)))
        : null;
}
