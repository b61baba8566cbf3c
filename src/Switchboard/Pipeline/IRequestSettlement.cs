namespace Switchboard.Pipeline;

/// <summary>
/// The settle stage's consumers: each is handed every finished <see cref="RequestRecord"/> once, with status,
/// usage, timings and error known (the usage ledger and budgets; metrics later). Runs on the request's own
/// thread after the answer is complete, so it must only hand work off, never wait on a store.
/// </summary>
public interface IRequestSettlement
{
    void Settle(RequestRecord record);
}
