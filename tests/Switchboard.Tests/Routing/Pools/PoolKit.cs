using Switchboard.Configuration;
using Switchboard.Egress;
using Switchboard.Egress.OpenAIChat.Profiles;
using Switchboard.Routing.Pools;

namespace Switchboard.Tests.Routing.Pools;

/// <summary>Pools of targets on made-up upstreams (nothing listens: selection and health never send).</summary>
internal static class PoolKit
{
    public static TargetHealth Health(string name, Action<UpstreamOptions>? configure = null)
    {
        var options = new UpstreamOptions { BaseUrl = $"http://{name}.invalid:8000/v1" };
        configure?.Invoke(options);
        return new TargetHealth(new UpstreamEndpoint(name, options, new HttpClient()));
    }

    public static PoolTarget Target(string name, double weight = 1, int priority = 0, Action<UpstreamOptions>? configure = null)
    {
        var health = Health(name, configure);
        return new PoolTarget(health.Upstream, "m", weight, priority, ProfileCatalog.For(new ModelOptions { Name = "m" }, "m"), health);
    }

    public static ModelPool Pool(params PoolTarget[] targets) => new("m", targets);
}
