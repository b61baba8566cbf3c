using Switchboard.Canonical;
using Switchboard.Configuration;
using Switchboard.Egress;
using Switchboard.Routing;

namespace Switchboard.Tests.Routing;

public sealed class ModelCatalogTests
{
    private static ModelCatalog Catalog(params ModelOptions[] models)
    {
        var options = new SwitchboardOptions { Models = [.. models] };
        options.Upstreams["gpu"] = new UpstreamOptions { BaseUrl = "http://127.0.0.1:8000/v1" };
        options.Upstreams["cpu"] = new UpstreamOptions { BaseUrl = "http://127.0.0.1:8080/v1/" };
        return new ModelCatalog(options, new UpstreamRegistry(options));
    }

    [Fact]
    public void Exact_names_win_over_earlier_globs()
    {
        var catalog = Catalog(
            new ModelOptions { Name = "big", Upstream = "gpu", UpstreamModel = "openai/gpt-oss-120b", Aliases = ["*"] },
            new ModelOptions { Name = "small", Upstream = "cpu" });

        var route = catalog.Resolve("small");

        Assert.Equal("small", route.Model.Name);
        Assert.Equal("cpu", route.Upstream.Name);
        Assert.Equal("small", route.UpstreamModel);
        Assert.Equal("http://127.0.0.1:8080/v1", route.Upstream.BaseUrl);
    }

    [Fact]
    public void Aliases_route_claude_names_and_keep_the_requested_name()
    {
        var catalog = Catalog(
            new ModelOptions { Name = "fast", Upstream = "cpu", Aliases = ["claude-haiku-*"] },
            new ModelOptions { Name = "big", Upstream = "gpu", UpstreamModel = "openai/gpt-oss-120b", Aliases = ["claude-*"] });

        var haiku = catalog.Resolve("claude-haiku-4-5-20251001");
        var sonnet = catalog.Resolve("claude-sonnet-4-5");

        Assert.Equal(("fast", "cpu", "claude-haiku-4-5-20251001"), (haiku.Model.Name, haiku.Upstream.Name, haiku.RequestedModel));
        Assert.Equal(("big", "openai/gpt-oss-120b"), (sonnet.Model.Name, sonnet.UpstreamModel));
    }

    [Fact]
    public void Unknown_model_is_not_found_naming_it()
    {
        var catalog = Catalog(new ModelOptions { Name = "big", Upstream = "gpu" });

        var failure = Assert.Throws<ApiException>(() => catalog.Resolve("mystery"));

        Assert.Equal(ApiErrorKind.NotFound, failure.Error.Kind);
        Assert.Equal("model: mystery", failure.Error.Message);
    }

    [Fact]
    public void Without_upstreams_the_error_says_what_to_configure()
    {
        var options = new SwitchboardOptions();
        var catalog = new ModelCatalog(options, new UpstreamRegistry(options));

        var failure = Assert.Throws<ApiException>(() => catalog.Resolve("claude-sonnet-4-5"));

        Assert.Equal(ApiErrorKind.NotFound, failure.Error.Kind);
        Assert.Contains("--upstream", failure.Error.Message);
    }

    [Fact]
    public void A_model_without_an_upstream_name_uses_the_only_upstream()
    {
        var options = new SwitchboardOptions { Models = [new ModelOptions { Name = "m" }] };
        options.Upstreams["only"] = new UpstreamOptions { BaseUrl = "http://127.0.0.1:1234/v1" };
        var catalog = new ModelCatalog(options, new UpstreamRegistry(options));

        Assert.Equal("only", catalog.Resolve("m").Upstream.Name);
    }
}
