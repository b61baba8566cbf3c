using System.Collections.Concurrent;
using Switchboard.Telemetry;

namespace Switchboard.Tenancy.Budgets;

/// <summary>
/// Spend per key and budget window kept in this process: loaded from the ledger store
/// (<see cref="IUsageLedgerStore.SpentMicrosAsync"/>) on first use, raised at once by every request this process
/// settles, and re-read from the store every <see cref="RefreshInterval"/> so the spend of other processes sharing
/// the store (their ledger rows) shows up too. A re-read happens in the background: a check never waits for it,
/// only the first check of a key in a window waits for the load.
/// </summary>
/// <remarks>
/// A request settled here counts from the moment it settles: until the ledger writer reports its row written
/// (<see cref="Written"/>) it is added on top of the store's figure, afterwards it is part of that figure. A row the
/// ledger had to drop stays counted here, since the store will never have it.
/// </remarks>
public sealed partial class StoreSpendCounter(IUsageLedgerStore store, TimeProvider time, ILogger<StoreSpendCounter> logger) : ISpendCounter
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(2);

    private static readonly BudgetPeriod[] Periods = [BudgetPeriod.Monthly, BudgetPeriod.Daily, BudgetPeriod.Total];

    private readonly ConcurrentDictionary<(string KeyId, DateTimeOffset Start), Entry> _entries = new();
    private readonly LogThrottle _refreshWarnings = new(time, TimeSpan.FromSeconds(30));

    public ValueTask<long> SpentAsync(string keyId, BudgetWindow window, CancellationToken cancellationToken)
    {
        if (!_entries.TryGetValue((keyId, window.Start), out var entry))
        {
            PruneEnded();
            entry = _entries.GetOrAdd((keyId, window.Start), static (_, w) => new Entry(w), window);
        }

        if (!entry.Loaded)
        {
            return LoadAsync(entry, keyId, cancellationToken);
        }

        if (entry.IsStale(time, RefreshInterval))
        {
            _ = RefreshAsync(entry, keyId);
        }

        return ValueTask.FromResult(entry.Spent);
    }

    public void Add(string keyId, BudgetWindow window, string requestId, long micros)
    {
        // A key not checked yet in this window is loaded from the store when it is, by which time its row is there.
        if (micros > 0 && _entries.TryGetValue((keyId, window.Start), out var entry))
        {
            entry.AddUnwritten(requestId, micros);
        }
    }

    /// <summary>The ledger writer stored these rows: their cost is in the store's figure from its next read on.</summary>
    public void Written(IReadOnlyList<UsageRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (_entries.IsEmpty)
        {
            return;
        }

        foreach (var row in rows)
        {
            if (row is { KeyId: { } keyId, CostMicros: > 0 })
            {
                foreach (var entry in EntriesHolding(keyId, row.Time))
                {
                    entry.MarkWritten(row.RequestId);
                }
            }
        }
    }

    /// <summary>The ledger dropped this row: its cost stays counted here for the rest of the window.</summary>
    public void Dropped(UsageRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row is { KeyId: { } keyId, CostMicros: > 0 })
        {
            foreach (var entry in EntriesHolding(keyId, row.Time))
            {
                entry.MarkNeverWritten(row.RequestId);
            }
        }
    }

    private IEnumerable<Entry> EntriesHolding(string keyId, DateTimeOffset time)
    {
        foreach (var period in Periods)
        {
            if (_entries.TryGetValue((keyId, BudgetWindow.For(period, time).Start), out var entry))
            {
                yield return entry;
            }
        }
    }

    private async ValueTask<long> LoadAsync(Entry entry, string keyId, CancellationToken cancellationToken)
    {
        await entry.ReadAsync(() => store.SpentMicrosAsync(keyId, entry.Window.Start, CancellationToken.None), time).WaitAsync(cancellationToken);
        return entry.Spent;
    }

    private async Task RefreshAsync(Entry entry, string keyId)
    {
        try
        {
            await entry.ReadAsync(() => store.SpentMicrosAsync(keyId, entry.Window.Start, CancellationToken.None), time);
        }
        catch (Exception failure)
        {
            // The last known spend stands until the store answers again.
            if (_refreshWarnings.TryEnter(out var suppressed))
            {
                LogRefreshFailed(logger, failure, keyId, suppressed);
            }
        }
    }

    private void PruneEnded()
    {
        var now = time.GetUtcNow();
        foreach (var (key, entry) in _entries)
        {
            if (entry.Window.End is { } end && end < now)
            {
                _entries.TryRemove(key, out _);
            }
        }
    }

    [LoggerMessage(EventId = 400, Level = LogLevel.Warning,
        Message = "Budget spend of key {KeyId} could not be re-read from the store; the last known figure stands ({Suppressed} similar failures not logged)")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception, string keyId, long suppressed);

    /// <summary>
    /// One key's spend in one window: the store's figure at the last read, what was written to the store since that
    /// read began, and what was settled here but is not (yet) in the store.
    /// </summary>
    private sealed class Entry(BudgetWindow window)
    {
        private readonly Lock _gate = new();
        private readonly ConcurrentDictionary<string, long> _unwrittenRows = new(StringComparer.Ordinal);
        private long _stored;
        private long _writtenSinceRead;
        private long _unwritten;
        private long _readAt;
        private Task? _reading;

        public BudgetWindow Window { get; } = window;

        public bool Loaded { get; private set; }

        public long Spent => Interlocked.Read(ref _stored) + Interlocked.Read(ref _writtenSinceRead) + Interlocked.Read(ref _unwritten);

        public bool IsStale(TimeProvider time, TimeSpan interval) => time.GetElapsedTime(Interlocked.Read(ref _readAt)) >= interval;

        public void AddUnwritten(string requestId, long micros)
        {
            if (_unwrittenRows.TryAdd(requestId, micros))
            {
                Interlocked.Add(ref _unwritten, micros);
            }
        }

        public void MarkWritten(string requestId)
        {
            if (_unwrittenRows.TryRemove(requestId, out var micros))
            {
                Interlocked.Add(ref _writtenSinceRead, micros);
                Interlocked.Add(ref _unwritten, -micros);
            }
        }

        public void MarkNeverWritten(string requestId) => _unwrittenRows.TryRemove(requestId, out _);

        /// <summary>Reads the store's figure, one read at a time; callers arriving during a read share it.</summary>
        public Task ReadAsync(Func<Task<long>> read, TimeProvider time)
        {
            lock (_gate)
            {
                if (_reading is null || _reading.IsCompleted)
                {
                    // Stamped before the read, so a failing store is asked again once per interval, not on every check.
                    Interlocked.Exchange(ref _readAt, time.GetTimestamp());
                    _reading = ReadOnceAsync(read);
                }

                return _reading;
            }
        }

        private async Task ReadOnceAsync(Func<Task<long>> read)
        {
            // Rows written before the read began are in its answer; rows written during it may or may not be, and
            // are kept on top of it until the next read (counted twice for at most one interval, never missed).
            var before = Interlocked.Read(ref _writtenSinceRead);
            var stored = await read();
            Interlocked.Exchange(ref _stored, stored);
            Interlocked.Add(ref _writtenSinceRead, -before);
            Loaded = true;
        }
    }
}
