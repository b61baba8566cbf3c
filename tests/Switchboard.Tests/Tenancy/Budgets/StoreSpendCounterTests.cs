using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Tenancy;
using Switchboard.Tenancy.Budgets;
using Switchboard.Tests.Tenancy.Ledger;

namespace Switchboard.Tests.Tenancy.Budgets;

public sealed class StoreSpendCounterTests
{
    private const string KeyId = "abcdefghijkl";
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-10T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly MemoryLedgerStore _store = new();
    private readonly StoreSpendCounter _spend;
    private readonly BudgetWindow _month;

    public StoreSpendCounterTests()
    {
        _spend = new StoreSpendCounter(_store, _time, NullLogger<StoreSpendCounter>.Instance);
        _month = BudgetWindow.For(BudgetPeriod.Monthly, _time.GetUtcNow());
    }

    private UsageRow Row(string id, long cost) => MemoryLedgerStore.Row(id, KeyId, _time.GetUtcNow(), cost);

    private async Task<long> Spent() => await _spend.SpentAsync(KeyId, _month, CancellationToken.None);

    [Fact]
    public async Task Spend_is_loaded_once_and_raised_at_once_by_settled_requests()
    {
        _store.AddOthers(Row("earlier", 100));
        _store.AddOthers(MemoryLedgerStore.Row("last-month", KeyId, _month.Start.AddTicks(-1), 1_000));

        Assert.Equal(100, await Spent());
        _spend.Add(KeyId, _month, "r1", 40);

        Assert.Equal(140, await Spent());
        Assert.Equal(1, _store.SpentReads);
    }

    [Fact]
    public async Task Other_processes_spend_shows_after_the_refresh_interval_and_own_rows_are_not_counted_twice()
    {
        Assert.Equal(0, await Spent());
        _spend.Add(KeyId, _month, "mine", 40);
        var mine = Row("mine", 40);
        await _store.AppendAsync([mine], CancellationToken.None);
        _spend.Written([mine]);
        _store.AddOthers(Row("theirs", 500));

        Assert.Equal(40, await Spent());
        _time.Advance(StoreSpendCounter.RefreshInterval);
        _ = await Spent(); // starts the re-read; this check does not wait for it

        Assert.Equal(540, await Spent());
        Assert.Equal(2, _store.SpentReads);
    }

    [Fact]
    public async Task A_cost_still_on_its_way_to_the_store_counts_across_a_refresh()
    {
        Assert.Equal(0, await Spent());
        _spend.Add(KeyId, _month, "queued", 70);
        _time.Advance(StoreSpendCounter.RefreshInterval);
        _ = await Spent();

        Assert.Equal(70, await Spent());
        var row = Row("queued", 70);
        await _store.AppendAsync([row], CancellationToken.None);
        _spend.Written([row]);
        _time.Advance(StoreSpendCounter.RefreshInterval);
        _ = await Spent();

        Assert.Equal(70, await Spent());
    }

    [Fact]
    public async Task A_dropped_row_stays_counted_in_process()
    {
        Assert.Equal(0, await Spent());
        _spend.Add(KeyId, _month, "dropped", 30);
        _spend.Dropped(Row("dropped", 30));
        _time.Advance(StoreSpendCounter.RefreshInterval);
        _ = await Spent();

        Assert.Equal(30, await Spent());
    }

    [Fact]
    public async Task A_failing_refresh_keeps_the_last_known_spend()
    {
        _store.AddOthers(Row("earlier", 100));
        Assert.Equal(100, await Spent());
        _store.SpentFails = true;
        _time.Advance(StoreSpendCounter.RefreshInterval);

        Assert.Equal(100, await Spent());
        Assert.Equal(100, await Spent());
    }
}
