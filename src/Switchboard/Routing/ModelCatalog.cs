using Switchboard.Canonical;
using Switchboard.Configuration;
using Switchboard.Egress;
using Switchboard.Egress.OpenAIChat.Profiles;
using Switchboard.Routing.Pools;

namespace Switchboard.Routing;

/// <summary>
/// Resolves the model name a client asked for to a route: exact names first, then aliases (exact, then globs) in
/// configuration order, so <c>claude-*</c> can send Claude Code's built-in names to an open model. Every model is
/// served by a pool of targets (<see cref="ModelOptions.Targets"/>, or the one <see cref="ModelOptions.Upstream"/>).
/// The models live in an immutable <see cref="CatalogSnapshot"/> that a configuration reload replaces in one step
/// (<see cref="Publish"/>): a request routed before keeps its route, pool and targets; new requests see the new ones.
/// </summary>
public sealed class ModelCatalog
{
    private CatalogSnapshot _current;

    /// <summary>A catalog whose pools share a health board of their own (tools and tests without the server's).</summary>
    public ModelCatalog(SwitchboardOptions options, UpstreamRegistry upstreams)
        : this(options, upstreams, new UpstreamHealthBoard(upstreams, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<UpstreamHealthBoard>.Instance))
    {
    }

    public ModelCatalog(SwitchboardOptions options, UpstreamRegistry upstreams, UpstreamHealthBoard health)
    {
        ArgumentNullException.ThrowIfNull(upstreams);
        _current = CatalogSnapshot.Build(options, upstreams.Current, health);
    }

    /// <summary>The models new requests are routed with.</summary>
    public CatalogSnapshot Current => Volatile.Read(ref _current);

    /// <summary>Raised after <see cref="Publish"/> replaced the snapshot (the health probe follows the new pools).</summary>
    public event Action<CatalogSnapshot>? Changed;

    /// <summary>Models that can be routed, in configuration order.</summary>
    public IReadOnlyList<ModelOptions> Models => Current.Models;

    /// <summary>Every model's pool, for the health probe.</summary>
    public IEnumerable<ModelPool> Pools => Current.Pools;

    public ModelRoute Resolve(string requestedModel) => Current.Resolve(requestedModel);

    /// <summary>The profile a listed model runs with.</summary>
    public ModelProfile ProfileOf(ModelOptions model) => Current.ProfileOf(model);

    /// <summary>A listed model by its public name, for <c>GET /v1/models/{id}</c>.</summary>
    public ModelOptions? FindByName(string name) => Current.FindByName(name);

    /// <summary>Makes <paramref name="next"/> what new requests are routed with.</summary>
    public void Publish(CatalogSnapshot next)
    {
        ArgumentNullException.ThrowIfNull(next);
        Volatile.Write(ref _current, next);
        Changed?.Invoke(next);
    }
}
