using System.Collections.Concurrent;
using Switchboard.Configuration;
using Switchboard.Routing;

namespace Switchboard.Batches;

/// <summary>
/// Batch requests' share of each upstream: at most <c>Batches:MaxConcurrencyPerUpstream</c> at once per upstream,
/// and none starts while the upstream has <c>Batches:YieldAtInteractiveInFlight</c> interactive requests in flight
/// (what <see cref="IUpstreamHealthView"/> reports, less this runner's own), so interactive traffic comes first.
/// </summary>
public sealed class UpstreamSlots(SwitchboardOptions options, IUpstreamHealthView health, TimeProvider time)
{
    private static readonly TimeSpan YieldPause = TimeSpan.FromMilliseconds(100);

    private readonly ConcurrentDictionary<string, Gate> _gates = new(StringComparer.OrdinalIgnoreCase);
    private readonly int _perUpstream = options.Batches.MaxConcurrencyPerUpstream;
    private readonly int _yieldAt = options.Batches.YieldAtInteractiveInFlight;

    /// <summary>Batch requests running now against <paramref name="upstream"/> in this process.</summary>
    public int Running(string upstream) => _gates.TryGetValue(upstream, out var gate) ? gate.Running : 0;

    /// <summary>Waits for a slot on <paramref name="upstream"/> (null: not known, no slot needed); dispose it when done.</summary>
    public async Task<IDisposable> EnterAsync(string? upstream, CancellationToken cancellationToken)
    {
        if (upstream is null)
        {
            return Slot.None;
        }

        var gate = _gates.GetOrAdd(upstream, _ => new Gate(_perUpstream));
        await gate.Semaphore.WaitAsync(cancellationToken);
        try
        {
            while (ShouldYield(upstream))
            {
                await Task.Delay(YieldPause, time, cancellationToken);
            }
        }
        catch
        {
            gate.Semaphore.Release();
            throw;
        }

        Interlocked.Increment(ref gate.RunningCount);
        return new Slot(gate);
    }

    /// <summary>Interactive requests in flight on the upstream: the health view's count, less this runner's batch requests.</summary>
    public int InteractiveInFlight(string upstream)
    {
        foreach (var report in health.Report())
        {
            if (string.Equals(report.Upstream, upstream, StringComparison.OrdinalIgnoreCase))
            {
                return Math.Max(0, report.InFlight - Running(upstream));
            }
        }

        return 0;
    }

    private bool ShouldYield(string upstream) => _yieldAt > 0 && InteractiveInFlight(upstream) >= _yieldAt;

    private sealed class Gate(int slots)
    {
        public readonly SemaphoreSlim Semaphore = new(slots, slots);
        public int RunningCount;

        public int Running => Volatile.Read(ref RunningCount);
    }

    private sealed class Slot(Gate? gate) : IDisposable
    {
        public static readonly Slot None = new(null);

        private int _disposed;

        public void Dispose()
        {
            if (gate is not null && Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Decrement(ref gate.RunningCount);
                gate.Semaphore.Release();
            }
        }
    }
}
