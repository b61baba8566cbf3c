namespace Switchboard.Tenancy.Limits;

/// <summary>
/// Where per-key counters live: in this process (<see cref="LocalLimitCounters"/>) or shared by several processes
/// (Redis, in Storage/). An admission checks and charges every limit of the key in one atomic step.
/// </summary>
public interface ILimitCounterStore
{
    /// <summary>
    /// How often an admitted request's output is charged while it streams: at once in process; batched where each
    /// charge is a round trip.
    /// </summary>
    TimeSpan OutputChargeInterval { get; }

    /// <summary>
    /// Admits a request when the key has a concurrency slot free and every bucket holds what the request needs,
    /// charging one request and the input estimate and taking the slot; else refuses and charges nothing.
    /// Throws <see cref="LimitStoreUnavailableException"/> when the store cannot be reached.
    /// </summary>
    ValueTask<CounterDecision> AcquireAsync(CounterRequest request, CancellationToken cancellationToken);

    /// <summary>What the key's buckets hold now, charging nothing (for the headers of a refusal made before the counters).</summary>
    ValueTask<CounterLevels> PeekAsync(string keyId, KeyLimits limits, CancellationToken cancellationToken);

    /// <summary>
    /// Charges (positive) or refunds (negative) input and output tokens of an admitted request; with
    /// <paramref name="release"/>, also frees its concurrency slot. Never waits on a network: a shared store sends
    /// it off and forgets it.
    /// </summary>
    void Charge(in CounterTicket ticket, long inputTokens, long outputTokens, bool release);
}
