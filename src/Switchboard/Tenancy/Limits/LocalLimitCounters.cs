using System.Collections.Concurrent;

namespace Switchboard.Tenancy.Limits;

/// <summary>
/// Per-key counters in this process: one small object per key that has been used, each with its own lock, read
/// against <see cref="TimeProvider"/>'s monotonic clock. The default, and the fallback while a shared store is
/// unreachable (then each process enforces the whole limit on its own).
/// </summary>
public sealed class LocalLimitCounters(TimeProvider time) : ILimitCounterStore
{
    private readonly ConcurrentDictionary<string, KeyCounters> _keys = new(StringComparer.Ordinal);

    public TimeSpan OutputChargeInterval => TimeSpan.Zero;

    public ValueTask<CounterDecision> AcquireAsync(CounterRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var counters = For(request.KeyId);
        var ticket = new CounterTicket(this, request.KeyId, request.LeaseId, request.Limits, counters);
        return ValueTask.FromResult(counters.TryAdmit(request, time.GetTimestamp(), time.TimestampFrequency, ticket));
    }

    public ValueTask<CounterLevels> PeekAsync(string keyId, KeyLimits limits, CancellationToken cancellationToken) =>
        ValueTask.FromResult(For(keyId).Peek(limits, time.GetTimestamp(), time.TimestampFrequency));

    public void Charge(in CounterTicket ticket, long inputTokens, long outputTokens, bool release)
    {
        var counters = ticket.State as KeyCounters ?? For(ticket.KeyId);
        counters.Charge(ticket.Limits, inputTokens, outputTokens, release, time.GetTimestamp(), time.TimestampFrequency);
    }

    private KeyCounters For(string keyId) => _keys.GetOrAdd(keyId, static _ => new KeyCounters());
}
