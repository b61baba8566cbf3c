using Switchboard.Canonical;
using Switchboard.Pipeline;
using Switchboard.Telemetry;
using Switchboard.Tenancy.Budgets;
using Switchboard.Tenancy.Pricing;

namespace Switchboard.Tenancy.Ledger;

/// <summary>
/// The settle stage's ledger and budget consumer. Every request that reached a front door (Messages, Chat
/// Completions; answered, refused by admission, failed, aborted) becomes one <see cref="UsageRow"/> with its cost at
/// the model's prices, queued for the <see cref="LedgerWriter"/>, and its cost is added to the key's budget spend.
/// Token counts (<c>count_tokens</c>) generate nothing and are left out; so are requests that never reached a front
/// door (refused by the key check, unknown paths, probes): the failed ones among them are counted in
/// <c>switchboard.ledger.unrecorded</c> by status, and every request is in the request log. Idempotent per request
/// id: a record settled twice writes one row and charges once. Runs on the request's thread and never waits.
/// </summary>
public sealed class LedgerSettlement(
    LedgerQueue queue, PriceList prices, ISpendCounter spend, StoreSpendCounter storeSpend, RecentRequestIds settled, LedgerMetrics metrics,
    TimeProvider time)
    : IRequestSettlement
{
    public void Settle(RequestRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.FrontDoor is null)
        {
            if (record.Status >= 400)
            {
                metrics.RequestUnrecorded(record.Status);
            }

            return;
        }

        if (record.TokenCountOnly)
        {
            return;
        }

        var requestId = record.RequestId ?? Ids.NewRequestId();
        if (!settled.TryClaim(requestId))
        {
            return;
        }

        var cost = prices.CostMicros(record.Model, record.InputTokens ?? 0, record.CacheReadTokens ?? 0, record.CacheWriteTokens ?? 0, record.OutputTokens ?? 0);
        var row = UsageRows.From(record, requestId, cost);
        if (row.Time == default)
        {
            // A record made outside the HTTP host (a batch runner) may not carry its start.
            row = row with { Time = time.GetUtcNow() };
        }

        if (cost > 0 && record.Caller is KeyCaller { Stored.Budget: { } budget } caller)
        {
            // Charged to the window the row is dated in, so the in-process figure and the store's sum agree.
            spend.Add(caller.KeyId, BudgetWindow.For(budget.Period, row.Time), requestId, cost);
        }

        if (!queue.TryAdd(row))
        {
            storeSpend.Dropped(row);
        }
    }
}
