using Switchboard.Canonical;

namespace Switchboard.Buffers;

/// <summary>
/// Admission and clean-up for large request bodies. A 20 MB body becomes well over 100 MB of large objects while its
/// request lives (the bytes, the parsed tree, the decoded text, the upstream body), so a few at once can exhaust a
/// container's memory. Each large request reserves an estimate of that from a budget, a share of the memory the GC
/// may use (<see cref="GCMemoryInfo.TotalAvailableMemoryBytes"/>, which honours a container or
/// <c>GCHeapHardLimit</c> limit); when the budget is taken it waits its turn, and after <see cref="MaxWait"/>
/// is refused as overloaded (529, retryable) instead of failing with out-of-memory. An idle process runs no
/// collection, so the space would stay resident for good: when the last large request ends and none starts for
/// <see cref="QuietPeriod"/>, one compacting collection gives it back to the system.
/// </summary>
public static class LargeBodyMemory
{
    /// <summary>Bodies above this size count as large.</summary>
    public const int Threshold = BodyBuffer.MaxPooledLength;

    /// <summary>Measured peak memory of a request per byte of its body, rounded up.</summary>
    private const int CostPerByte = 6;

    private static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);
    private static readonly long Budget = ComputeBudget();
    private static readonly ITimer Timer = TimeProvider.System.CreateTimer(_ => Reclaim(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    private static readonly Lock Gate = new();
    private static readonly LinkedList<Waiter> Waiting = [];
    private static long _reserved;
    private static long _admitted;
    private static long _reclaimedAt;

    /// <summary>Reserves room for a body of <paramref name="bodyBytes"/>, waiting for it if need be.</summary>
    /// <exception cref="ApiException">Overloaded: the room did not come free within <see cref="MaxWait"/>.</exception>
    public static async ValueTask<Scope> HoldAsync(long bodyBytes, CancellationToken cancellationToken)
    {
        // A body that alone exceeds the budget still runs, on its own.
        var cost = Math.Min(bodyBytes * CostPerByte, Budget);
        Waiter waiter;
        LinkedListNode<Waiter> node;
        lock (Gate)
        {
            if (Waiting.Count == 0 && _reserved + cost <= Budget)
            {
                return Admit(cost);
            }

            waiter = new Waiter(cost);
            node = Waiting.AddLast(waiter);
        }

        try
        {
            return await waiter.Admitted.Task.WaitAsync(MaxWait, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception failure) when (failure is TimeoutException or OperationCanceledException)
        {
            lock (Gate)
            {
                if (node.List is not null)
                {
                    Waiting.Remove(node);
                    waiter.Admitted.TrySetCanceled(CancellationToken.None);
                }
            }

            // Admitted just as the wait ended: give the room back.
            if (waiter.Admitted.Task.IsCompletedSuccessfully)
            {
                waiter.Admitted.Task.Result.Dispose();
            }

            if (failure is TimeoutException)
            {
                throw new ApiException(ApiErrorKind.Overloaded, "Switchboard is busy with other large requests; retry shortly");
            }

            throw;
        }
    }

    private static Scope Admit(long cost)
    {
        _reserved += cost;
        _admitted++;
        return new Scope(cost);
    }

    private static void Release(long cost)
    {
        lock (Gate)
        {
            _reserved -= cost;
            while (Waiting.First is { } next && _reserved + next.Value.Cost <= Budget)
            {
                Waiting.RemoveFirst();
                next.Value.Admitted.TrySetResult(Admit(next.Value.Cost));
            }

            if (_reserved == 0)
            {
                Timer.Change(QuietPeriod, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private static void Reclaim()
    {
        lock (Gate)
        {
            if (_reserved > 0 || _reclaimedAt == _admitted)
            {
                return;
            }

            _reclaimedAt = _admitted;
        }

        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    private static long ComputeBudget()
    {
        var available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return available > 0 ? available * 6 / 10 : long.MaxValue;
    }

    private sealed class Waiter(long cost)
    {
        public long Cost { get; } = cost;

        public TaskCompletionSource<Scope> Admitted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>One large body's reservation; disposing it gives the room back.</summary>
    public sealed class Scope(long cost) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Release(cost);
            }
        }
    }
}
