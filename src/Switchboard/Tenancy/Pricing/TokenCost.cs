using Switchboard.Configuration;

namespace Switchboard.Tenancy.Pricing;

/// <summary>
/// What a request's tokens cost, in integer micro-USD. A price of $P per million tokens is exactly P micro-USD per
/// token, so the sum is taken exactly in <see cref="decimal"/> and rounded once, to the nearest micro-USD with
/// halves rounded up (away from zero): a request is never charged a fraction twice. Cache reads and writes are
/// priced as input unless they have prices of their own; reasoning tokens are part of the output tokens and priced
/// as output.
/// </summary>
public static class TokenCost
{
    public static long Micros(ModelPrices? prices, long inputTokens, long cacheReadTokens, long cacheWriteTokens, long outputTokens)
    {
        if (prices is null)
        {
            return 0;
        }

        var input = prices.InputPerMillion;
        var exact = (inputTokens * input)
            + (cacheReadTokens * (prices.CacheReadPerMillion ?? input))
            + (cacheWriteTokens * (prices.CacheWritePerMillion ?? input))
            + (outputTokens * prices.OutputPerMillion);
        var rounded = decimal.Round(exact, 0, MidpointRounding.AwayFromZero);
        return rounded >= long.MaxValue ? long.MaxValue : (long)rounded;
    }
}
