using Switchboard.Configuration;
using Switchboard.Egress;
using Switchboard.Routing.Pools;

namespace Switchboard.Routing;

/// <summary>
/// Puts a reloaded configuration's upstreams and models in service in one step. Built first, then published: the
/// upstreams (unchanged ones kept with their HTTP clients), their health (carried over for the same server), the
/// catalog snapshot (models, aliases, pools and targets). A request routed before keeps the route, pool, targets and
/// HTTP client it holds until it ends; every request routed after sees only the new configuration.
/// </summary>
public sealed class RoutingReload(UpstreamRegistry upstreams, UpstreamHealthBoard health, ModelCatalog catalog)
{
    private readonly Lock _lock = new();

    /// <summary>Applies <paramref name="next"/> (already validated) and says what changed.</summary>
    public RoutingChange Apply(SwitchboardOptions next)
    {
        ArgumentNullException.ThrowIfNull(next);
        lock (_lock)
        {
            var before = catalog.Current;
            var upstreamsBefore = upstreams.Current;
            var set = upstreams.Build(next);
            health.Apply(set);
            var snapshot = CatalogSnapshot.Build(next, set, health);
            upstreams.Publish(set);
            catalog.Publish(snapshot);
            return RoutingChange.Between(upstreamsBefore, set, before, snapshot);
        }
    }
}
