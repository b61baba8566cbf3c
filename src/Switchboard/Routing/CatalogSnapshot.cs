using Switchboard.Canonical;
using Switchboard.Configuration;
using Switchboard.Egress;
using Switchboard.Egress.OpenAIChat.Profiles;
using Switchboard.Routing.Pools;

namespace Switchboard.Routing;

/// <summary>One configuration's models, their pools and targets: never changed once built (see <see cref="ModelCatalog"/>).</summary>
public sealed class CatalogSnapshot
{
    private readonly List<(ModelOptions Model, UpstreamEndpoint Upstream, ModelProfile Profile, ModelPool Pool)> _models = [];
    private readonly bool _noUpstreams;

    private CatalogSnapshot(SwitchboardOptions options, UpstreamSet upstreams, UpstreamHealthBoard health)
    {
        _noUpstreams = upstreams.All.Count == 0;
        foreach (var model in options.Models)
        {
            if (PoolOf(model, upstreams, health) is { } pool)
            {
                var first = pool.Targets[0];
                _models.Add((model, first.Upstream, first.Profile, pool));
            }
        }

        Models = _models.Select(m => m.Model).ToList();
    }

    /// <summary>Models that can be routed, in configuration order.</summary>
    public IReadOnlyList<ModelOptions> Models { get; }

    /// <summary>Every model's pool.</summary>
    public IEnumerable<ModelPool> Pools => _models.Select(m => m.Pool);

    /// <summary>
    /// The models of <paramref name="options"/> on <paramref name="upstreams"/>; every target's health comes from
    /// <paramref name="health"/>, which must already track those upstreams.
    /// </summary>
    public static CatalogSnapshot Build(SwitchboardOptions options, UpstreamSet upstreams, UpstreamHealthBoard health)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(upstreams);
        ArgumentNullException.ThrowIfNull(health);
        return new CatalogSnapshot(options, upstreams, health);
    }

    public ModelRoute Resolve(string requestedModel)
    {
        if (Match(requestedModel) is { } match)
        {
            var first = match.Pool.Targets[0];
            return new ModelRoute(requestedModel, match.Model, match.Upstream, first.UpstreamModel)
            {
                Profile = match.Profile,
                Pool = match.Pool,
            };
        }

        if (_noUpstreams)
        {
            throw new ApiException(ApiErrorKind.NotFound,
                $"model: {requestedModel}. Switchboard has no upstream model server configured; start it with --upstream <url> --model <name> or set Switchboard:Upstreams and Switchboard:Models.");
        }

        throw new ApiException(ApiErrorKind.NotFound, $"model: {requestedModel}");
    }

    /// <summary>The profile a listed model runs with.</summary>
    public ModelProfile ProfileOf(ModelOptions model) =>
        _models.Find(m => ReferenceEquals(m.Model, model)).Profile ?? ProfileCatalog.For(model, model.UpstreamModel ?? model.Name);

    /// <summary>A listed model by its public name.</summary>
    public ModelOptions? FindByName(string name) =>
        _models.Find(m => string.Equals(m.Model.Name, name, StringComparison.OrdinalIgnoreCase)).Model;

    private static ModelPool? PoolOf(ModelOptions model, UpstreamSet upstreams, UpstreamHealthBoard health)
    {
        var fallbackModel = model.UpstreamModel ?? model.Name;
        if (model.Targets.Count == 0)
        {
            return upstreams.Find(model.Upstream) is { } upstream
                ? new ModelPool(model.Name, [Target(model, upstream, fallbackModel, 1, 0, health)])
                : null;
        }

        var targets = new List<PoolTarget>();
        foreach (var target in model.Targets)
        {
            if (upstreams.Find(target.Upstream) is { } upstream)
            {
                targets.Add(Target(model, upstream, target.UpstreamModel ?? fallbackModel, target.Weight, target.Priority, health));
            }
        }

        return targets.Count > 0 ? new ModelPool(model.Name, targets) : null;
    }

    private static PoolTarget Target(ModelOptions model, UpstreamEndpoint upstream, string upstreamModel, double weight, int priority, UpstreamHealthBoard health) =>
        new(upstream, upstreamModel, weight, priority, ProfileCatalog.For(model, upstreamModel), health.For(upstream));

    private (ModelOptions Model, UpstreamEndpoint Upstream, ModelProfile Profile, ModelPool Pool)? Match(string name)
    {
        foreach (var entry in _models)
        {
            if (string.Equals(entry.Model.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return entry;
            }
        }

        foreach (var entry in _models)
        {
            foreach (var alias in entry.Model.Aliases)
            {
                if (Glob.IsMatch(alias, name))
                {
                    return entry;
                }
            }
        }

        return null;
    }
}
