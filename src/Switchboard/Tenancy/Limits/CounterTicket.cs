namespace Switchboard.Tenancy.Limits;

/// <summary>
/// What an admitted request holds in the counters: the store that admitted it (later charges and the release go
/// there, even if another store has taken over since), the key and slot, and the store's own handle.
/// </summary>
public readonly record struct CounterTicket(ILimitCounterStore Store, string KeyId, string LeaseId, KeyLimits Limits, object? State);
