using Switchboard.Egress;
using Switchboard.Egress.OpenAIChat.Profiles;

namespace Switchboard.Routing.Pools;

/// <summary>One upstream serving a pool's model: where to send, the name it knows the model by, its share and rank.</summary>
public sealed class PoolTarget(UpstreamEndpoint upstream, string upstreamModel, double weight, int priority, ModelProfile profile, TargetHealth health)
{
    public UpstreamEndpoint Upstream { get; } = upstream;

    public string UpstreamModel { get; } = upstreamModel;

    public double Weight { get; } = weight;

    /// <summary>Lower is preferred.</summary>
    public int Priority { get; } = priority;

    /// <summary>The model's family profile for this target's model name.</summary>
    public ModelProfile Profile { get; } = profile;

    public TargetHealth Health { get; } = health;

    /// <summary>This target's identity in rendezvous hashing: stable across restarts and configuration order.</summary>
    public ulong Seed { get; } = StableHash.Of(upstream.Name + "\n" + upstreamModel);

    /// <summary>The route to this target for a request routed to the pool.</summary>
    public ModelRoute RouteFor(ModelRoute pooled)
    {
        ArgumentNullException.ThrowIfNull(pooled);
        return new ModelRoute(pooled.RequestedModel, pooled.Model, Upstream, UpstreamModel) { Profile = Profile, Pool = pooled.Pool, Target = this };
    }
}
