using Switchboard.Configuration;
using Switchboard.Egress;
using Switchboard.Routing;
using Switchboard.Tenancy.Pricing;

namespace Switchboard.Tests.Tenancy.Pricing;

public sealed class PriceListTests
{
    private static readonly ModelPrices Own = new() { InputPerMillion = 1m, OutputPerMillion = 2m };
    private static readonly ModelPrices Defaults = new() { InputPerMillion = 5m, OutputPerMillion = 25m };

    private static PriceList Prices(ModelPrices? defaults)
    {
        var options = new SwitchboardOptions
        {
            Models =
            [
                new ModelOptions { Name = "priced", Aliases = ["claude-*"], Prices = Own },
                new ModelOptions { Name = "unpriced" },
            ],
        };
        options.Tenancy.DefaultPrices = defaults;
        options.Upstreams["gpu"] = new UpstreamOptions { BaseUrl = "http://127.0.0.1:9/v1" };
        return new PriceList(new ModelCatalog(options, new UpstreamRegistry(options)), options);
    }

    [Fact]
    public void A_model_is_charged_its_own_prices_also_by_an_alias()
    {
        var prices = Prices(Defaults);

        Assert.Same(Own, prices.For("priced"));
        Assert.Same(Own, prices.For("claude-sonnet-4-5"));
        Assert.Equal(1_000_000 + 2_000_000, prices.CostMicros("claude-sonnet-4-5", 1_000_000, 0, 0, 1_000_000));
    }

    [Fact]
    public void A_model_without_prices_gets_the_defaults_and_without_defaults_is_free()
    {
        Assert.Same(Defaults, Prices(Defaults).For("unpriced"));
        Assert.Same(Defaults, Prices(Defaults).For("no-such-model"));
        Assert.Null(Prices(null).For("unpriced"));
        Assert.Equal(0, Prices(null).CostMicros("unpriced", 1000, 0, 0, 1000));
    }
}
