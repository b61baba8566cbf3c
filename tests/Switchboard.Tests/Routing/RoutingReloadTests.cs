using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Canonical;
using Switchboard.Configuration;
using Switchboard.Egress;
using Switchboard.Routing;
using Switchboard.Routing.Pools;

namespace Switchboard.Tests.Routing;

/// <summary>
/// A reload swaps upstreams, models and pools in one step: routes taken before keep their objects, new routes see the
/// new configuration, and what is known of a server's health survives when the same server stays configured.
/// </summary>
public sealed class RoutingReloadTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-03-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    private static SwitchboardOptions Options(Action<SwitchboardOptions>? configure = null)
    {
        var options = new SwitchboardOptions();
        options.Upstreams["a"] = new UpstreamOptions { BaseUrl = "http://a.invalid:8000/v1" };
        options.Upstreams["b"] = new UpstreamOptions { BaseUrl = "http://b.invalid:8000/v1" };
        options.Models.Add(new ModelOptions { Name = "m1", Upstream = "a" });
        options.Models.Add(new ModelOptions { Name = "pooled", Targets = [new TargetOptions { Upstream = "a" }, new TargetOptions { Upstream = "b" }] });
        configure?.Invoke(options);
        return options;
    }

    private (UpstreamRegistry Upstreams, UpstreamHealthBoard Health, ModelCatalog Catalog, RoutingReload Reload) Start(SwitchboardOptions options)
    {
        var upstreams = new UpstreamRegistry(options);
        var health = new UpstreamHealthBoard(upstreams, _time, NullLogger<UpstreamHealthBoard>.Instance);
        var catalog = new ModelCatalog(options, upstreams, health);
        return (upstreams, health, catalog, new RoutingReload(upstreams, health, catalog));
    }

    [Fact]
    public void New_routes_use_the_new_configuration_and_a_route_taken_before_keeps_its_own()
    {
        var (upstreams, _, catalog, reload) = Start(Options());
        var before = catalog.Resolve("m1");

        var change = reload.Apply(Options(o =>
        {
            o.Upstreams.Remove("a");
            o.Upstreams["c"] = new UpstreamOptions { BaseUrl = "http://c.invalid:9000/v1" };
            o.Models.Clear();
            o.Models.Add(new ModelOptions { Name = "m1", Upstream = "c", UpstreamModel = "m1-large" });
            o.Models.Add(new ModelOptions { Name = "m2", Upstream = "b", Aliases = ["claude-*"] });
        }));

        var after = catalog.Resolve("m1");
        Assert.Equal("c", after.Upstream.Name);
        Assert.Equal("http://c.invalid:9000/v1", after.Upstream.BaseUrl);
        Assert.Equal("m1-large", after.UpstreamModel);
        Assert.Equal("m2", catalog.Resolve("claude-sonnet-4-5").Model.Name);
        Assert.Equal(ApiErrorKind.NotFound, Assert.Throws<ApiException>(() => catalog.Resolve("pooled")).Error.Kind);
        Assert.Equal(["m1", "m2"], catalog.Models.Select(m => m.Name));
        Assert.Null(upstreams.Find("a"));

        // The route taken before the swap still names the old upstream, its client usable (not disposed).
        Assert.Equal("a", before.Upstream.Name);
        Assert.Equal("http://a.invalid:8000/v1", before.Upstream.BaseUrl);
        Assert.Equal(2, catalog.Current.Models.Count);
        _ = before.Upstream.Http.DefaultRequestHeaders.UserAgent.ToString();
        before.Upstream.Http.CancelPendingRequests();

        Assert.Equal(["m2"], change.ModelsAdded);
        Assert.Equal(["m1"], change.ModelsChanged);
        Assert.Equal(["pooled"], change.ModelsRemoved);
        Assert.Equal(["c"], change.UpstreamsAdded);
        Assert.Equal(["a"], change.UpstreamsRemoved);
        Assert.Equal("models added [m2], changed [m1], removed [pooled]; upstreams added [c], removed [a]", change.Summary());
    }

    [Fact]
    public void The_same_server_keeps_its_health_its_requests_in_flight_and_its_client()
    {
        var (upstreams, health, catalog, reload) = Start(Options());
        var a = catalog.Resolve("pooled").Pool!.Targets.Single(t => t.Upstream.Name == "a").Health;
        var b = catalog.Resolve("pooled").Pool!.Targets.Single(t => t.Upstream.Name == "b").Health;
        var clientOfA = a.Upstream.Http;
        using var running = a.Begin();
        health.Failed(b, UpstreamFailureKind.Refused, null);
        var coolingUntil = b.CoolingUntil(_time.GetUtcNow());
        Assert.NotNull(coolingUntil);

        // a: only its timeout changes; b: same address, new failure settings; the model moves to a pool with d.
        reload.Apply(Options(o =>
        {
            o.Upstreams["a"].TimeoutSeconds = 30;
            o.Upstreams["b"].CooldownSeconds = 1;
            o.Upstreams["d"] = new UpstreamOptions { BaseUrl = "http://d.invalid:8000/v1" };
            o.Models[1].Targets.Add(new TargetOptions { Upstream = "d" });
        }));

        var targets = catalog.Resolve("pooled").Pool!.Targets;
        var newA = targets.Single(t => t.Upstream.Name == "a");
        var newB = targets.Single(t => t.Upstream.Name == "b");
        var newD = targets.Single(t => t.Upstream.Name == "d");
        Assert.Same(a, newA.Health);
        Assert.Equal(1, newA.Health.InFlight);
        Assert.Equal(30, newA.Health.Upstream.Options.TimeoutSeconds);
        Assert.Same(newA.Upstream, newA.Health.Upstream);
        Assert.Same(clientOfA, newA.Upstream.Http);
        Assert.Same(b, newB.Health);
        Assert.Equal(coolingUntil, newB.Health.CoolingUntil(_time.GetUtcNow()));
        Assert.Equal("cooling", health.Report().Single(r => r.Upstream == "b").State);
        Assert.Equal(0, newD.Health.InFlight);
        Assert.Equal(["a", "b", "d"], health.All.Select(h => h.Name));
        Assert.Same(upstreams.Find("d"), newD.Upstream);

        running.Dispose();
        Assert.Equal(0, newA.Health.InFlight);
    }

    [Fact]
    public void A_server_at_a_new_address_starts_with_no_health_and_an_unchanged_one_keeps_its_endpoint()
    {
        var (upstreams, health, catalog, reload) = Start(Options());
        var b = health.All.Single(h => h.Name == "b");
        health.Failed(b, UpstreamFailureKind.Refused, null);
        var endpointA = upstreams.Find("a");

        reload.Apply(Options(o => o.Upstreams["b"].BaseUrl = "http://b2.invalid:8000/v1"));

        var newB = health.All.Single(h => h.Name == "b");
        Assert.NotSame(b, newB);
        Assert.Null(newB.CoolingUntil(_time.GetUtcNow()));
        Assert.Equal("unknown", health.Report().Single(r => r.Upstream == "b").State);
        Assert.Same(endpointA, upstreams.Find("a"));
        Assert.Same(endpointA, catalog.Resolve("m1").Upstream);
        Assert.NotSame(b.Upstream.Http, newB.Upstream.Http);
    }

    [Fact]
    public void The_directory_follows_the_published_snapshot()
    {
        var (_, _, catalog, reload) = Start(Options());
        var directory = new ModelDirectory(catalog);
        Assert.Equal(["m1", "pooled"], directory.All.Select(m => m.Id));

        reload.Apply(Options(o => o.Models.Add(new ModelOptions { Name = "m3", Upstream = "b", ContextLength = 8192 })));

        Assert.Equal(["m1", "pooled", "m3"], directory.All.Select(m => m.Id));
        Assert.Equal(8192, directory.Describe("m3").MaxInputTokens);
    }

    [Fact]
    public void Prices_and_metric_labels_follow_the_published_snapshot()
    {
        var options = Options(o => o.Models[0].Prices = new ModelPrices { InputPerMillion = 1, OutputPerMillion = 2 });
        var (_, _, catalog, reload) = Start(options);
        var prices = new Switchboard.Tenancy.Pricing.PriceList(catalog, options);
        var labels = new Switchboard.Telemetry.ModelLabels(catalog);
        Assert.Equal(1, prices.For("m1")!.InputPerMillion);
        Assert.Equal(Switchboard.Telemetry.ModelLabels.Other, labels.For("claude-opus-4-1"));

        reload.Apply(Options(o =>
        {
            o.Models[0].Prices = new ModelPrices { InputPerMillion = 3, OutputPerMillion = 4 };
            o.Models.Add(new ModelOptions { Name = "m3", Upstream = "b", Aliases = ["claude-*"] });
        }));

        Assert.Equal(3, prices.For("m1")!.InputPerMillion);
        Assert.Equal("m3", labels.For("claude-opus-4-1"));
        Assert.Equal("m3", labels.For("M3"));
    }
}
