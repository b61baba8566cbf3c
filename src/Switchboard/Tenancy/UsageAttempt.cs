namespace Switchboard.Tenancy;

/// <summary>
/// One upstream attempt of a ledger row: the upstream's configured name (never its address), how it ended
/// (<c>ok</c> for the answer the client got, else the failure: <c>overloaded</c>, <c>refused</c>, …), the upstream's
/// HTTP status when it sent one, and the milliseconds from the send to that outcome.
/// </summary>
public readonly record struct UsageAttempt(string Upstream, string Outcome, int? Status, double DurationMs);
