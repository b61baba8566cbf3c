using Switchboard.Configuration;
using Switchboard.Egress;
using Switchboard.Routing;
using Switchboard.Telemetry;

namespace Switchboard.Tests.Telemetry;

public sealed class ModelLabelsTests
{
    private static ModelLabels Labels(params ModelOptions[] models)
    {
        var options = new SwitchboardOptions { Models = [.. models] };
        options.Upstreams["gpu"] = new UpstreamOptions { BaseUrl = "http://127.0.0.1:8000/v1" };
        return new ModelLabels(new ModelCatalog(options, new UpstreamRegistry(options)));
    }

    [Fact]
    public void Names_and_aliases_fold_into_the_configured_model_and_anything_else_into_other()
    {
        var labels = Labels(
            new ModelOptions { Name = "big", Upstream = "gpu", Aliases = ["claude-opus-*", "large"] },
            new ModelOptions { Name = "small", Upstream = "gpu", Aliases = ["claude-*"] });

        Assert.Equal("big", labels.For("big"));
        Assert.Equal("big", labels.For("BIG"));
        Assert.Equal("big", labels.For("large"));
        Assert.Equal("big", labels.For("claude-opus-4-1"));
        Assert.Equal("small", labels.For("claude-haiku-4-5"));
        Assert.Equal("small", labels.For("small"));
        Assert.Equal(ModelLabels.Other, labels.For("gpt-5-invented"));
        Assert.Equal(TelemetryNames.None, labels.For(null));
    }

    [Fact]
    public void Without_aliases_only_names_have_a_label_of_their_own()
    {
        var labels = Labels(new ModelOptions { Name = "only", Upstream = "gpu" });

        Assert.Equal("only", labels.For("only"));
        Assert.Equal(ModelLabels.Other, labels.For("only-not"));
    }

    [Fact]
    public void Past_the_remembered_names_the_label_is_still_right()
    {
        var labels = Labels(new ModelOptions { Name = "any", Upstream = "gpu", Aliases = ["x-*"] });
        for (var i = 0; i < 1100; i++)
        {
            Assert.Equal("any", labels.For($"x-{i}"));
        }

        Assert.Equal("any", labels.For("x-again"));
        Assert.Equal(ModelLabels.Other, labels.For("y-1"));
    }
}
