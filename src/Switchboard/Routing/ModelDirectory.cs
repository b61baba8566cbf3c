using Switchboard.Canonical;
using Switchboard.Configuration;

namespace Switchboard.Routing;

/// <summary>The public models described for listing, from the catalog's current snapshot (rebuilt after a reload).</summary>
public sealed class ModelDirectory
{
    /// <summary>
    /// Every model's <c>created</c>/<c>created_at</c>. Switchboard does not know when an open model was made, and the
    /// start time would change on every restart (clients that cache or sort by it would see new models each time);
    /// Anthropic's Models API gives the Unix epoch for an unknown date, so every model is listed as of then.
    /// </summary>
    public static readonly DateTimeOffset ListedSince = DateTimeOffset.UnixEpoch;

    private readonly ModelCatalog _catalog;
    private Listed _listed;

    public ModelDirectory(ModelCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        _catalog = catalog;
        _listed = new Listed(catalog.Current, List(catalog.Current));
    }

    /// <summary>Every listed model, in configuration order, with its configured limits.</summary>
    public IReadOnlyList<ModelDescription> All
    {
        get
        {
            var current = _catalog.Current;
            var listed = Volatile.Read(ref _listed);
            if (!ReferenceEquals(listed.Snapshot, current))
            {
                listed = new Listed(current, List(current));
                Volatile.Write(ref _listed, listed);
            }

            return listed.All;
        }
    }

    /// <summary>
    /// A model by a name clients may use: a listed name, or an alias (say a <c>claude-…</c> name), reported under
    /// the name asked for and described by its target. Throws <see cref="ApiException"/> (not found) otherwise.
    /// </summary>
    public ModelDescription Describe(string id)
    {
        var snapshot = _catalog.Current;
        if (snapshot.FindByName(id) is { } listed)
        {
            return Describe(listed.Name, listed, snapshot.ProfileOf(listed));
        }

        var route = snapshot.Resolve(id);
        return Describe(id, route.Model, route.Profile);
    }

    private static IReadOnlyList<ModelDescription> List(CatalogSnapshot snapshot) =>
        [.. snapshot.Models.Select(m => Describe(m.Name, m, snapshot.ProfileOf(m)))];

    private static ModelDescription Describe(string id, ModelOptions model, Egress.OpenAIChat.Profiles.ModelProfile profile) =>
        new(id, model.DisplayName ?? model.Name, ListedSince, ProfileSummary.From(profile), model.ContextLength, model.MaxOutputTokens);

    private sealed record Listed(CatalogSnapshot Snapshot, IReadOnlyList<ModelDescription> All);
}
