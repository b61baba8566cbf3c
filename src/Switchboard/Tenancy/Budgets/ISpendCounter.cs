namespace Switchboard.Tenancy.Budgets;

/// <summary>
/// What each key has spent in a budget window, as the budget gate sees it. In process (<see cref="StoreSpendCounter"/>,
/// from the ledger store) or shared by every process (Redis, see Storage/Redis).
/// </summary>
public interface ISpendCounter
{
    /// <summary>Micro-USD <paramref name="keyId"/> has spent in <paramref name="window"/>. Throws when the counter's store cannot be reached.</summary>
    ValueTask<long> SpentAsync(string keyId, BudgetWindow window, CancellationToken cancellationToken);

    /// <summary>Adds a settled request's cost. Never waits on a store: called on the request's own thread.</summary>
    void Add(string keyId, BudgetWindow window, string requestId, long micros);
}
