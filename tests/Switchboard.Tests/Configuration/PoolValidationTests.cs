using Microsoft.Extensions.Configuration;
using Switchboard.Configuration;
using Switchboard.Egress;
using Switchboard.Hosting;
using Switchboard.Routing;

namespace Switchboard.Tests.Configuration;

public sealed class PoolValidationTests
{
    private const string Upstreams = """
        "Upstreams": { "gpu1": { "BaseUrl": "http://127.0.0.1:8001/v1" }, "gpu2": { "BaseUrl": "http://127.0.0.1:8002/v1" }, "hosted": { "BaseUrl": "https://api.example.com/v1" } }
        """;

    private static SwitchboardOptions Load(string models, out IReadOnlyList<string> problems, string extra = "")
    {
        var json = $$"""{ "Switchboard": { {{Upstreams}}, "Models": {{models}} {{extra}} } }""";
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))).Build();
        try
        {
            problems = [];
            return StartupConfiguration.Load(configuration, CommandLine.Parse([]));
        }
        catch (SwitchboardConfigurationException failure)
        {
            problems = failure.Problems;
            return null!;
        }
    }

    [Fact]
    public void A_model_with_targets_resolves_to_a_pool_in_priority_order_and_the_single_upstream_form_to_a_pool_of_one()
    {
        var options = Load("""
            [ { "Name": "qwen", "UpstreamModel": "Qwen/Qwen3-32B", "Targets": [
                  { "Upstream": "hosted", "UpstreamModel": "qwen3-32b", "Priority": 1 },
                  { "Upstream": "gpu1", "Weight": 2 }, { "Upstream": "gpu2" } ] },
              { "Name": "small", "Upstream": "gpu1" } ]
            """, out var problems);
        Assert.Empty(problems);
        using var registry = new UpstreamRegistry(options);
        var catalog = new ModelCatalog(options, registry);

        var pool = catalog.Resolve("qwen").Pool!;
        Assert.Equal(["gpu1:Qwen/Qwen3-32B:2:0", "gpu2:Qwen/Qwen3-32B:1:0", "hosted:qwen3-32b:1:1"],
            pool.Targets.Select(t => $"{t.Upstream.Name}:{t.UpstreamModel}:{t.Weight}:{t.Priority}"));
        var single = catalog.Resolve("small");
        Assert.Equal("gpu1", Assert.Single(single.Pool!.Targets).Upstream.Name);
        Assert.Equal("gpu1", single.Upstream.Name);
    }

    [Fact]
    public void Targets_on_unknown_upstreams_with_bad_weights_or_beside_an_upstream_are_refused_by_path()
    {
        Load("""
            [ { "Name": "qwen", "Upstream": "gpu1", "Targets": [ { "Upstream": "gpu3" }, { "Upstream": "gpu2", "Weight": 0, "Priority": -1 }, { "Upstream": "" } ] } ]
            """, out var problems, """, "Pools": { "MaxAttempts": 0, "AffinityLoadFactor": 0.5 }""");

        Assert.Contains("Switchboard:Models:0:Upstream: set either Upstream or Targets, not both", problems);
        Assert.Contains(problems, p => p.StartsWith("Switchboard:Models:0:Targets:0:Upstream: unknown upstream 'gpu3'", StringComparison.Ordinal));
        Assert.Contains("Switchboard:Models:0:Targets:1:Weight: must be greater than 0", problems);
        Assert.Contains("Switchboard:Models:0:Targets:1:Priority: must be 0 or more (0 is preferred)", problems);
        Assert.Contains(problems, p => p.StartsWith("Switchboard:Models:0:Targets:2:Upstream: required", StringComparison.Ordinal));
        Assert.Contains("Switchboard:Pools:MaxAttempts: must be at least 1", problems);
        Assert.Contains(problems, p => p.StartsWith("Switchboard:Pools:AffinityLoadFactor: must be at least 1", StringComparison.Ordinal));
    }
}
