using Switchboard.Tenancy;

namespace Switchboard.Storage;

/// <summary>
/// The daily totals one appended batch adds, per (UTC day, key, model): built from the rows actually inserted, so a
/// replayed row adds nothing. No key and no model are stored as the empty string (part of the primary key).
/// </summary>
internal sealed class DailyTotals
{
    private readonly Dictionary<(long Day, string KeyId, string Model), Totals> _groups = [];

    public int Count => _groups.Count;

    public void Add(long occurredAtMs, string? keyId, string? model, long input, long cacheRead, long cacheWrite, long output, long reasoning, long cost)
    {
        var group = (UnixTime.DayOf(occurredAtMs), keyId ?? "", model ?? "");
        _groups.TryGetValue(group, out var totals);
        totals ??= _groups[group] = new Totals();
        totals.Requests++;
        totals.InputTokens += input;
        totals.CacheReadTokens += cacheRead;
        totals.CacheWriteTokens += cacheWrite;
        totals.OutputTokens += output;
        totals.ReasoningTokens += reasoning;
        totals.CostMicros += cost;
    }

    public void Add(UsageRow row) => Add(UnixTime.Ms(row.Time), row.KeyId, row.Model, row.InputTokens, row.CacheReadTokens,
        row.CacheWriteTokens, row.OutputTokens, row.ReasoningTokens, row.CostMicros);

    /// <summary>In one fixed order, so concurrent writers lock the same rollup rows in the same order (no deadlock).</summary>
    public IEnumerable<((long Day, string KeyId, string Model) Group, Totals Totals)> Ordered() =>
        _groups.OrderBy(g => g.Key.Day).ThenBy(g => g.Key.KeyId, StringComparer.Ordinal).ThenBy(g => g.Key.Model, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Value));

    public sealed class Totals
    {
        public long Requests { get; set; }

        public long InputTokens { get; set; }

        public long CacheReadTokens { get; set; }

        public long CacheWriteTokens { get; set; }

        public long OutputTokens { get; set; }

        public long ReasoningTokens { get; set; }

        public long CostMicros { get; set; }
    }
}
