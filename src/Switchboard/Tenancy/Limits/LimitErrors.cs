using System.Globalization;
using Switchboard.Canonical;

namespace Switchboard.Tenancy.Limits;

/// <summary>
/// The refusals of the admit stage, worded so a user knows whose limit it is: this Switchboard key's, named, with
/// the wait. Every message ends with "Please try again in Ns." (N = the <c>retry-after</c> seconds), the sentence
/// OpenAI's clients and Codex read the wait from.
/// </summary>
public static class LimitErrors
{
    /// <summary>Beyond this wait a client should not retry on its own (Anthropic's SDKs and Claude Code would park for it).</summary>
    public const int LongestRetrySeconds = 60;

    public static ApiError RateLimited(string keyId, KeyLimits limits, LimitKind refusedBy, TimeSpan wait)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var seconds = TokenBucket.RetryAfterSeconds(wait);
        var limit = refusedBy switch
        {
            LimitKind.Concurrency => $"{Count(limits.Concurrency)} concurrent requests (requests already in progress for this key must finish first)",
            LimitKind.Requests => $"{Count(limits.RequestsPerMinute)} requests per minute",
            LimitKind.InputTokens => $"{Count(limits.InputTokensPerMinute)} input tokens per minute",
            _ => $"{Count(limits.OutputTokensPerMinute)} output tokens per minute",
        };
        var message = string.Create(CultureInfo.InvariantCulture,
            $"Rate limit reached for Switchboard API key {keyId}: this gateway limits the key to {limit}. This is the key's own limit on this Switchboard, not the model provider's. Please try again in {seconds}s.");
        return new ApiError(ApiErrorKind.RateLimit, message)
        {
            RetryAfterSeconds = seconds,
            RetryAfterMilliseconds = TokenBucket.RetryAfterMilliseconds(wait),

            // A client that retries on its own should not sit out a long wait (a limit of 0, a huge overdraft).
            Retryable = seconds <= LongestRetrySeconds,
        };
    }

    private static string Count(long? value) => (value ?? 0).ToString("N0", CultureInfo.InvariantCulture);
}
