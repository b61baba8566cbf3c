namespace Switchboard.Tenancy.Limits;

/// <summary>One admission asked of the counters: whose, under which limits, with what input estimate.</summary>
/// <param name="KeyId">The key's id: the counters are per key.</param>
/// <param name="LeaseId">Names the request's concurrency slot (its request id), so it is released exactly once.</param>
public sealed record CounterRequest(string KeyId, KeyLimits Limits, long InputEstimate, string LeaseId);
