using Switchboard.Tenancy;

namespace Switchboard.Tests.Tenancy.Ledger;

/// <summary>
/// A ledger store in memory for unit tests, with the store contract's idempotency per request id, and switches to
/// fail or hold writes and spend reads.
/// </summary>
internal sealed class MemoryLedgerStore : IUsageLedgerStore
{
    private readonly Dictionary<string, UsageRow> _rows = new(StringComparer.Ordinal);

    public List<int> AppendedBatchSizes { get; } = [];

    public int FailuresToCome { get; set; }

    public int AppendAttempts { get; private set; }

    public int SpentReads { get; private set; }

    public bool SpentFails { get; set; }

    /// <summary>When set, spend reads wait for it.</summary>
    public TaskCompletionSource? SpentGate { get; set; }

    public List<DateTimeOffset> DeleteCutoffs { get; } = [];

    public IReadOnlyList<UsageRow> Rows
    {
        get
        {
            lock (_rows)
            {
                return _rows.Values.ToList();
            }
        }
    }

    public Task AppendAsync(IReadOnlyList<UsageRow> rows, CancellationToken cancellationToken)
    {
        lock (_rows)
        {
            AppendAttempts++;
            if (FailuresToCome > 0)
            {
                FailuresToCome--;
                throw new InvalidOperationException("store down");
            }

            AppendedBatchSizes.Add(rows.Count);
            foreach (var row in rows)
            {
                _rows.TryAdd(row.RequestId, row);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>A row written by another process sharing the store.</summary>
    public void AddOthers(UsageRow row)
    {
        lock (_rows)
        {
            _rows.TryAdd(row.RequestId, row);
        }
    }

    public async Task<long> SpentMicrosAsync(string keyId, DateTimeOffset from, CancellationToken cancellationToken)
    {
        SpentReads++;
        if (SpentGate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        if (SpentFails)
        {
            throw new InvalidOperationException("store down");
        }

        lock (_rows)
        {
            return _rows.Values.Where(r => r.KeyId == keyId && r.Time >= from).Sum(r => r.CostMicros);
        }
    }

    public Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        lock (_rows)
        {
            DeleteCutoffs.Add(cutoff);
            var old = _rows.Values.Where(r => r.Time < cutoff).Select(r => r.RequestId).ToList();
            old.ForEach(id => _rows.Remove(id));
            return Task.FromResult(old.Count);
        }
    }

    public Task<IReadOnlyList<UsageTotal>> SummarizeAsync(UsageQuery query, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<IReadOnlyList<UsageRow>> RecentAsync(string? keyId, int limit, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<IReadOnlyList<UsageRow>> RecentMatchingAsync(RequestFilter filter, int limit, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public static UsageRow Row(string requestId, string? keyId, DateTimeOffset time, long cost) => new()
    {
        Time = time,
        RequestId = requestId,
        KeyId = keyId,
        FrontDoor = "anthropic",
        Status = 200,
        CostMicros = cost,
    };
}
