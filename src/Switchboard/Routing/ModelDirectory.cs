using Switchboard.Canonical;

namespace Switchboard.Routing;

/// <summary>The public models described for listing, built once at start; the time of that start is their listing time.</summary>
public sealed class ModelDirectory
{
    private readonly ModelCatalog _catalog;
    private readonly DateTimeOffset _listedSince;

    public ModelDirectory(ModelCatalog catalog, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(time);
        _catalog = catalog;
        _listedSince = time.GetUtcNow();
        All = [.. catalog.Models.Select(m => new ModelDescription(m.Name, m.DisplayName ?? m.Name, _listedSince, ProfileSummary.From(catalog.ProfileOf(m))))];
    }

    /// <summary>Every listed model, in configuration order.</summary>
    public IReadOnlyList<ModelDescription> All { get; }

    /// <summary>
    /// A model by a name clients may use: a listed name, or an alias (say a <c>claude-…</c> name), reported under
    /// the name asked for and described by its target. Throws <see cref="ApiException"/> (not found) otherwise.
    /// </summary>
    public ModelDescription Describe(string id)
    {
        if (_catalog.FindByName(id) is { } listed)
        {
            return new ModelDescription(listed.Name, listed.DisplayName ?? listed.Name, _listedSince, ProfileSummary.From(_catalog.ProfileOf(listed)));
        }

        var route = _catalog.Resolve(id);
        return new ModelDescription(id, route.Model.DisplayName ?? route.Model.Name, _listedSince, ProfileSummary.From(route.Profile));
    }
}
