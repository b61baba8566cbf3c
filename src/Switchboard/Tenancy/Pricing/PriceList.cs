using System.Collections.Concurrent;
using Switchboard.Canonical;
using Switchboard.Configuration;
using Switchboard.Routing;

namespace Switchboard.Tenancy.Pricing;

/// <summary>
/// The prices a request is charged at: its model's own <see cref="ModelOptions.Prices"/>, else
/// <see cref="TenancyOptions.DefaultPrices"/>, else nothing. The model is the one the request was routed to, found
/// from the name the client asked for (aliases and globs included); the answer is remembered per name.
/// </summary>
public sealed class PriceList(ModelCatalog catalog, SwitchboardOptions options)
{
    /// <summary>Names remembered at most: the names clients ask for are theirs to choose.</summary>
    private const int MaxRemembered = 4096;

    private readonly ModelPrices? _default = options.Tenancy.DefaultPrices;
    // Remembered per catalog snapshot: a configuration reload may change a model's prices.
    private Remembered _byName = new(catalog.Current);

    /// <summary>The prices of the model <paramref name="requestedModel"/> routes to; the defaults for a name that routes nowhere.</summary>
    public ModelPrices? For(string? requestedModel)
    {
        if (requestedModel is null)
        {
            return _default;
        }

        var byName = Volatile.Read(ref _byName);
        if (!ReferenceEquals(byName.Snapshot, catalog.Current))
        {
            byName = new Remembered(catalog.Current);
            Volatile.Write(ref _byName, byName);
        }

        var snapshot = byName.Snapshot;
        if (byName.TryGetValue(requestedModel, out var known))
        {
            return known;
        }

        ModelPrices? prices;
        try
        {
            prices = snapshot.Resolve(requestedModel).Model.Prices ?? _default;
        }
        catch (ApiException)
        {
            // Routed nowhere, so it used no upstream tokens; only defaults could apply.
            return _default;
        }

        if (byName.Count < MaxRemembered)
        {
            byName.TryAdd(requestedModel, prices);
        }

        return prices;
    }

    /// <summary>The cost of the tokens in a usage row of <paramref name="requestedModel"/>, in micro-USD.</summary>
    public long CostMicros(string? requestedModel, long inputTokens, long cacheReadTokens, long cacheWriteTokens, long outputTokens) =>
        TokenCost.Micros(For(requestedModel), inputTokens, cacheReadTokens, cacheWriteTokens, outputTokens);

    private sealed class Remembered(CatalogSnapshot snapshot) : ConcurrentDictionary<string, ModelPrices?>(StringComparer.Ordinal)
    {
        public CatalogSnapshot Snapshot { get; } = snapshot;
    }
}
