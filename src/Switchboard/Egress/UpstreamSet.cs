namespace Switchboard.Egress;

/// <summary>
/// One configuration's model servers by name: immutable, so a request that found an upstream here keeps it (and its
/// HTTP client) for as long as it runs, whatever a reload publishes meanwhile.
/// </summary>
public sealed class UpstreamSet
{
    public static readonly UpstreamSet Empty = new([]);

    private readonly Dictionary<string, UpstreamEndpoint> _byName = new(StringComparer.OrdinalIgnoreCase);

    public UpstreamSet(IEnumerable<UpstreamEndpoint> upstreams)
    {
        ArgumentNullException.ThrowIfNull(upstreams);
        foreach (var upstream in upstreams)
        {
            _byName[upstream.Name] = upstream;
        }

        All = [.. _byName.Values];
    }

    /// <summary>In configuration order.</summary>
    public IReadOnlyList<UpstreamEndpoint> All { get; }

    /// <summary>The named upstream; with no name, the only one when exactly one is configured.</summary>
    public UpstreamEndpoint? Find(string? name) =>
        name is null ? (All.Count == 1 ? All[0] : null) : _byName.GetValueOrDefault(name);
}
