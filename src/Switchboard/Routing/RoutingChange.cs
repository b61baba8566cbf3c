using System.Text.Json;
using Switchboard.Egress;

namespace Switchboard.Routing;

/// <summary>The upstreams and models a reload added, changed and removed, by name.</summary>
public sealed record RoutingChange(
    IReadOnlyList<string> ModelsAdded, IReadOnlyList<string> ModelsChanged, IReadOnlyList<string> ModelsRemoved,
    IReadOnlyList<string> UpstreamsAdded, IReadOnlyList<string> UpstreamsChanged, IReadOnlyList<string> UpstreamsRemoved)
{
    public bool IsEmpty => ModelsAdded.Count + ModelsChanged.Count + ModelsRemoved.Count
        + UpstreamsAdded.Count + UpstreamsChanged.Count + UpstreamsRemoved.Count == 0;

    public static RoutingChange Between(UpstreamSet upstreamsBefore, UpstreamSet upstreamsAfter, CatalogSnapshot before, CatalogSnapshot after)
    {
        ArgumentNullException.ThrowIfNull(upstreamsBefore);
        ArgumentNullException.ThrowIfNull(upstreamsAfter);
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var upstreamsAdded = upstreamsAfter.All.Where(u => upstreamsBefore.Find(u.Name) is null).Select(u => u.Name).ToList();
        var upstreamsRemoved = upstreamsBefore.All.Where(u => upstreamsAfter.Find(u.Name) is null).Select(u => u.Name).ToList();
        var upstreamsChanged = upstreamsAfter.All
            .Where(u => upstreamsBefore.Find(u.Name) is { } old && !ReferenceEquals(old, u))
            .Select(u => u.Name).ToList();

        var modelsAdded = after.Models.Where(m => before.FindByName(m.Name) is null).Select(m => m.Name).ToList();
        var modelsRemoved = before.Models.Where(m => after.FindByName(m.Name) is null).Select(m => m.Name).ToList();

        // A model whose settings are the same but whose upstream changed serves from the new upstream: changed too.
        var modelsChanged = after.Models
            .Where(m => before.FindByName(m.Name) is { } old
                && (JsonSerializer.Serialize(old) != JsonSerializer.Serialize(m) || Targets(before, old.Name) != Targets(after, m.Name)))
            .Select(m => m.Name).ToList();
        return new RoutingChange(modelsAdded, modelsChanged, modelsRemoved, upstreamsAdded, upstreamsChanged, upstreamsRemoved);
    }

    /// <summary>One line for the log: <c>models added [a], changed [b]; upstreams removed [c]</c>, or <c>no change</c>.</summary>
    public string Summary()
    {
        if (IsEmpty)
        {
            return "no change to upstreams or models";
        }

        var models = Parts(("added", ModelsAdded), ("changed", ModelsChanged), ("removed", ModelsRemoved));
        var upstreams = Parts(("added", UpstreamsAdded), ("changed", UpstreamsChanged), ("removed", UpstreamsRemoved));
        return string.Join("; ", new[] { models.Length > 0 ? "models " + models : "", upstreams.Length > 0 ? "upstreams " + upstreams : "" }
            .Where(p => p.Length > 0));
    }

    private static string Parts(params (string Verb, IReadOnlyList<string> Names)[] parts) =>
        string.Join(", ", parts.Where(p => p.Names.Count > 0).Select(p => $"{p.Verb} [{string.Join(", ", p.Names)}]"));

    /// <summary>Where a model's targets point: upstream, its address, the model's name there.</summary>
    private static string Targets(CatalogSnapshot snapshot, string model)
    {
        var route = snapshot.Resolve(model);
        return string.Join("|", route.Pool!.Targets.Select(t =>
            $"{t.Upstream.Name}@{t.Upstream.BaseUrl}/{t.UpstreamModel}"));
    }
}
