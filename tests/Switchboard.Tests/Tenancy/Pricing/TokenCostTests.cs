using Switchboard.Configuration;
using Switchboard.Tenancy.Pricing;

namespace Switchboard.Tests.Tenancy.Pricing;

public sealed class TokenCostTests
{
    [Fact]
    public void Dollars_per_million_tokens_are_micro_dollars_per_token()
    {
        var prices = new ModelPrices { InputPerMillion = 3m, OutputPerMillion = 15m };

        // 1,000 × $3/M = $0.003 = 3,000 µUSD; 500 × $15/M = $0.0075 = 7,500 µUSD.
        Assert.Equal(10_500, TokenCost.Micros(prices, inputTokens: 1000, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 500));
    }

    [Fact]
    public void Cache_reads_and_writes_are_priced_as_input_unless_priced_themselves()
    {
        var plain = new ModelPrices { InputPerMillion = 2m, OutputPerMillion = 8m };
        var cached = new ModelPrices { InputPerMillion = 2m, OutputPerMillion = 8m, CacheReadPerMillion = 0.2m, CacheWritePerMillion = 2.5m };

        Assert.Equal((100 * 2) + (1000 * 2) + (10 * 2) + (1 * 8), TokenCost.Micros(plain, 100, 1000, 10, 1));
        Assert.Equal(200 + 200 + 25 + 8, TokenCost.Micros(cached, 100, 1000, 10, 1));
    }

    [Fact]
    public void The_exact_sum_is_rounded_once_to_the_nearest_micro_dollar_halves_up()
    {
        var quarter = new ModelPrices { InputPerMillion = 0.25m, OutputPerMillion = 0.25m };

        // 2 × 0.25 + 2 × 0.25 = 1.0 µUSD: rounding each part (0.5 → 1) would charge 2.
        Assert.Equal(1, TokenCost.Micros(quarter, 2, 0, 0, 2));
        Assert.Equal(1, TokenCost.Micros(quarter, 2, 0, 0, 0)); // 0.5 → 1
        Assert.Equal(0, TokenCost.Micros(quarter, 1, 0, 0, 0)); // 0.25 → 0
        Assert.Equal(1, TokenCost.Micros(quarter, 3, 0, 0, 0)); // 0.75 → 1
    }

    [Fact]
    public void Without_prices_tokens_are_free()
    {
        Assert.Equal(0, TokenCost.Micros(null, 1_000_000, 5, 5, 1_000_000));
    }
}
