using System.Globalization;
using Switchboard.Pipeline;

namespace Switchboard.Ingress;

/// <summary>
/// OpenAI's rate-limit headers, for every OpenAI-shaped door: <c>x-ratelimit-limit-requests</c>,
/// <c>x-ratelimit-remaining-requests</c>, <c>x-ratelimit-reset-requests</c> and the same for <c>-tokens</c>. Resets
/// are relative, as Go durations (<c>1s</c>, <c>6m0s</c>, <c>12ms</c>), rounded up to the millisecond. OpenAI has one
/// token limit; a key with separate input and output limits reports their sum (as Anthropic's
/// <c>anthropic-ratelimit-tokens-*</c> does): both limits, both remainders, and the later of the two resets.
/// </summary>
public static class OpenAIRateLimitHeaders
{
    private static readonly Names Requests = new("requests");
    private static readonly Names Tokens = new("tokens");

    public static void Add(IResponseChannel channel, RateLimitStatus status)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(status);
        if (status.Requests is { } requests)
        {
            Add(channel, Requests, requests);
        }

        if (RateLimitTotals.Tokens(status) is { } tokens)
        {
            Add(channel, Tokens, tokens);
        }
    }

    private static void Add(IResponseChannel channel, Names names, RateLimitWindow window)
    {
        channel.SetHeader(names.Limit, window.Limit.ToString(CultureInfo.InvariantCulture));
        channel.SetHeader(names.Remaining, window.Remaining.ToString(CultureInfo.InvariantCulture));
        channel.SetHeader(names.Reset, GoDuration.Format(CeilingMilliseconds(window.ResetAfter)));
    }

    private static TimeSpan CeilingMilliseconds(TimeSpan value) =>
        value <= TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromMilliseconds(Math.Ceiling(value.TotalMilliseconds));

    private sealed class Names(string what)
    {
        public string Limit { get; } = "x-ratelimit-limit-" + what;

        public string Remaining { get; } = "x-ratelimit-remaining-" + what;

        public string Reset { get; } = "x-ratelimit-reset-" + what;
    }
}
