using Switchboard.Canonical;
using Switchboard.Configuration;
using Switchboard.Egress;
using Switchboard.Egress.OpenAIChat.Profiles;

namespace Switchboard.Routing;

/// <summary>
/// Resolves the model name a client asked for to a route: exact names first, then aliases (exact, then globs) in
/// configuration order, so <c>claude-*</c> can send Claude Code's built-in names to an open model.
/// </summary>
public sealed class ModelCatalog
{
    private readonly List<(ModelOptions Model, UpstreamEndpoint Upstream, ModelProfile Profile)> _models = [];
    private readonly bool _noUpstreams;

    public ModelCatalog(SwitchboardOptions options, UpstreamRegistry upstreams)
    {
        _noUpstreams = upstreams.All.Count == 0;
        foreach (var model in options.Models)
        {
            if (upstreams.Find(model.Upstream) is { } upstream)
            {
                _models.Add((model, upstream, ProfileCatalog.For(model, model.UpstreamModel ?? model.Name)));
            }
        }

        Models = _models.Select(m => m.Model).ToList();
    }

    /// <summary>Models that can be routed, in configuration order.</summary>
    public IReadOnlyList<ModelOptions> Models { get; }

    public ModelRoute Resolve(string requestedModel)
    {
        if (Match(requestedModel) is { } match)
        {
            return new ModelRoute(requestedModel, match.Model, match.Upstream, match.Model.UpstreamModel ?? match.Model.Name)
            {
                Profile = match.Profile,
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

    /// <summary>A listed model by its public name, for <c>GET /v1/models/{id}</c>.</summary>
    public ModelOptions? FindByName(string name) =>
        _models.Find(m => string.Equals(m.Model.Name, name, StringComparison.OrdinalIgnoreCase)).Model;

    private (ModelOptions Model, UpstreamEndpoint Upstream, ModelProfile Profile)? Match(string name)
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
