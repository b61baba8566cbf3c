using Switchboard.Configuration;
using Switchboard.Egress;
using Switchboard.Egress.OpenAIChat.Profiles;
using Switchboard.Routing.Pools;

namespace Switchboard.Routing;

/// <summary>
/// Where one request goes: the upstream, the model name it knows there, and that model's settings. For a model
/// served by a pool, the catalog's route names the pool's first target and carries the <see cref="Pool"/>; the send
/// stage picks a target per attempt and sends to that target's route (<see cref="PoolTarget.RouteFor"/>).
/// </summary>
public sealed record ModelRoute(string RequestedModel, ModelOptions Model, UpstreamEndpoint Upstream, string UpstreamModel)
{
    private ModelProfile? _profile;

    /// <summary>The model's family profile with its own settings applied; found from the options unless given.</summary>
    public ModelProfile Profile
    {
        get => _profile ??= ProfileCatalog.For(Model, UpstreamModel);
        init => _profile = value;
    }

    /// <summary>The targets serving the model; null for a route built by hand (one upstream, no failover).</summary>
    public ModelPool? Pool { get; init; }

    /// <summary>The pool target this route sends to, once the send stage has picked one.</summary>
    public PoolTarget? Target { get; init; }
}
