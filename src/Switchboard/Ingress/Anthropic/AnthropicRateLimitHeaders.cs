using System.Globalization;
using Switchboard.Pipeline;

namespace Switchboard.Ingress.Anthropic;

/// <summary>
/// Anthropic's rate-limit headers: <c>anthropic-ratelimit-{requests,input-tokens,output-tokens,tokens}-{limit,
/// remaining,reset}</c>. The reset is when the limit is full again, in RFC 3339 UTC to the second (rounded up);
/// <c>tokens</c> is input and output together, as Anthropic reports it when no narrower limit applies.
/// Remainders are exact whole tokens: Anthropic rounds its own to the nearest thousand, which with the small
/// per-key limits a gateway hands out would claim tokens that are not there.
/// </summary>
public static class AnthropicRateLimitHeaders
{
    private static readonly Names Requests = new("requests");
    private static readonly Names InputTokens = new("input-tokens");
    private static readonly Names OutputTokens = new("output-tokens");
    private static readonly Names Tokens = new("tokens");

    public static void Add(IResponseChannel channel, RateLimitStatus status)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(status);
        Add(channel, Requests, status.Requests, status.AsOf);
        Add(channel, InputTokens, status.InputTokens, status.AsOf);
        Add(channel, OutputTokens, status.OutputTokens, status.AsOf);
        Add(channel, Tokens, RateLimitTotals.Tokens(status), status.AsOf);
    }

    /// <summary>RFC 3339 in UTC, whole seconds, rounded up so the limit is full by then.</summary>
    public static string ResetTime(DateTimeOffset asOf, TimeSpan resetAfter)
    {
        var at = asOf.UtcDateTime + (resetAfter > TimeSpan.Zero ? resetAfter : TimeSpan.Zero);
        var whole = new DateTime(at.Ticks - (at.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
        if (whole < at)
        {
            whole = whole.AddSeconds(1);
        }

        // The sortable "s" format is yyyy-MM-ddTHH:mm:ss, formatted on a fast path; UTC adds the Z.
        return string.Create(20, whole, static (span, time) =>
        {
            time.TryFormat(span, out _, "s", CultureInfo.InvariantCulture);
            span[19] = 'Z';
        });
    }

    private static void Add(IResponseChannel channel, Names names, RateLimitWindow? window, DateTimeOffset asOf)
    {
        if (window is not { } w)
        {
            return;
        }

        channel.SetHeader(names.Limit, w.Limit.ToString(CultureInfo.InvariantCulture));
        channel.SetHeader(names.Remaining, w.Remaining.ToString(CultureInfo.InvariantCulture));
        channel.SetHeader(names.Reset, ResetTime(asOf, w.ResetAfter));
    }

    private sealed class Names(string what)
    {
        public string Limit { get; } = "anthropic-ratelimit-" + what + "-limit";

        public string Remaining { get; } = "anthropic-ratelimit-" + what + "-remaining";

        public string Reset { get; } = "anthropic-ratelimit-" + what + "-reset";
    }
}
