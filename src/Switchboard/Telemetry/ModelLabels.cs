using System.Collections.Concurrent;
using System.Collections.Frozen;
using Switchboard.Routing;

namespace Switchboard.Telemetry;

/// <summary>
/// The model label of metrics: the configured model a requested name routes to (its name, aliases and glob aliases
/// folded into it), or <see cref="Other"/> for a name no model answers to, so a client inventing names cannot grow
/// the number of series. Resolved the way <see cref="ModelCatalog"/> routes: names first, then aliases in order.
/// </summary>
public sealed class ModelLabels
{
    public const string Other = "other";

    /// <summary>Names matched through a glob alias are remembered up to this many; past it they are matched again each time.</summary>
    private const int MaxRemembered = 1024;

    private readonly ModelCatalog _catalog;
    private Labels _labels;

    public ModelLabels(ModelCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        _catalog = catalog;
        _labels = new Labels(catalog.Current);
    }

    /// <summary>The label for <paramref name="requested"/>; <see cref="TelemetryNames.None"/> when no model was read.</summary>
    public string For(string? requested)
    {
        if (requested is null)
        {
            return TelemetryNames.None;
        }

        // A configuration reload publishes a new catalog snapshot: labels follow its models.
        var labels = Volatile.Read(ref _labels);
        if (!ReferenceEquals(labels.Snapshot, _catalog.Current))
        {
            labels = new Labels(_catalog.Current);
            Volatile.Write(ref _labels, labels);
        }

        return labels.For(requested);
    }

    private sealed class Labels
    {
        private readonly FrozenDictionary<string, string> _names;
        private readonly (string Pattern, string Model)[] _aliases;
        private readonly ConcurrentDictionary<string, string> _matched = new(StringComparer.Ordinal);

        public Labels(CatalogSnapshot snapshot)
        {
            Snapshot = snapshot;
            var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var model in snapshot.Models)
            {
                names.TryAdd(model.Name, model.Name);
            }

            _names = names.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
            _aliases = [.. snapshot.Models.SelectMany(m => m.Aliases.Select(a => (a, m.Name)))];
        }

        public CatalogSnapshot Snapshot { get; }

        public string For(string requested)
        {
            if (_names.TryGetValue(requested, out var name))
            {
                return name;
            }

            if (_aliases.Length == 0)
            {
                return Other;
            }

            if (_matched.TryGetValue(requested, out name))
            {
                return name;
            }

            name = Other;
            foreach (var (pattern, model) in _aliases)
            {
                if (Glob.IsMatch(pattern, requested))
                {
                    name = model;
                    break;
                }
            }

            if (_matched.Count < MaxRemembered)
            {
                _matched.TryAdd(requested, name);
            }

            return name;
        }
    }
}
