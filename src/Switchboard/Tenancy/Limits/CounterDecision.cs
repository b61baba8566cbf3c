namespace Switchboard.Tenancy.Limits;

/// <summary>
/// The counters' answer to an admission: admitted (and charged, holding <see cref="Ticket"/>), or refused by
/// <see cref="RefusedBy"/> with the <see cref="Wait"/> until that limit would admit it. <see cref="Levels"/> is
/// what the buckets hold afterwards, for the rate-limit headers.
/// </summary>
public readonly record struct CounterDecision(bool Admitted, LimitKind RefusedBy, TimeSpan Wait, CounterLevels Levels, CounterTicket Ticket);
