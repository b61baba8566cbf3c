using Switchboard.Pipeline;

namespace Switchboard.Ingress;

/// <summary>The "tokens" figure both doors report beside input and output limits: their sum, as Anthropic defines it.</summary>
public static class RateLimitTotals
{
    /// <summary>
    /// Input and output together: limits added, remainders added, reset when both are full again; the one that
    /// exists when the key has only one; null when it has neither.
    /// </summary>
    public static RateLimitWindow? Tokens(RateLimitStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return (status.InputTokens, status.OutputTokens) switch
        {
            ({ } input, { } output) => new RateLimitWindow(
                input.Limit + output.Limit, input.Remaining + output.Remaining, input.ResetAfter > output.ResetAfter ? input.ResetAfter : output.ResetAfter),
            ({ } input, null) => input,
            (null, { } output) => output,
            _ => null,
        };
    }
}
