using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Canonical;
using Switchboard.Configuration;
using Switchboard.Tenancy;
using Switchboard.Tenancy.Budgets;
using Switchboard.Tests.Tenancy.Ledger;

namespace Switchboard.Tests.Tenancy.Budgets;

public sealed class BudgetGateTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-31T23:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly MemoryLedgerStore _store = new();
    private readonly StoreSpendCounter _spend;

    public BudgetGateTests() => _spend = new StoreSpendCounter(_store, _time, NullLogger<StoreSpendCounter>.Instance);

    private static ApiKeyRecord Key(long amountMicros, BudgetPeriod period) => new()
    {
        Id = "abcdefghijkl",
        Name = "alice",
        SecretHash = "00",
        CreatedAt = DateTimeOffset.UnixEpoch,
        Budget = new KeyBudget(amountMicros, period),
    };

    private BudgetGate Gate(bool failClosed = false) =>
        new(_spend, new SwitchboardOptions { Storage = { FailClosed = failClosed } }, _time, NullLogger<BudgetGate>.Instance);

    [Fact]
    public async Task A_spent_monthly_budget_is_refused_as_billing_with_the_seconds_to_the_month_end()
    {
        var key = Key(25_000_000, BudgetPeriod.Monthly);
        _store.AddOthers(MemoryLedgerStore.Row("r1", key.Id, _time.GetUtcNow().AddDays(-3), 24_999_999));
        var gate = Gate();
        await gate.CheckAsync(key, CancellationToken.None);

        _spend.Add(key.Id, BudgetWindow.For(BudgetPeriod.Monthly, _time.GetUtcNow()), "r2", 1);
        var refusal = await Assert.ThrowsAsync<ApiException>(() => gate.CheckAsync(key, CancellationToken.None).AsTask());

        Assert.Equal(ApiErrorKind.Billing, refusal.Error.Kind);
        Assert.Equal("The budget of $25.00 (monthly) of API key abcdefghijkl is spent; it resets 2027-01-01 00:00 UTC", refusal.Error.Message);
        Assert.Equal(3600, refusal.Error.RetryAfterSeconds);
        Assert.False(refusal.Error.ShouldRetry);
    }

    [Fact]
    public async Task A_spent_daily_budget_is_admitted_again_from_the_next_UTC_day()
    {
        var key = Key(1_000_000, BudgetPeriod.Daily);
        _store.AddOthers(MemoryLedgerStore.Row("r1", key.Id, _time.GetUtcNow(), 1_000_000));
        var gate = Gate();
        var refusal = await Assert.ThrowsAsync<ApiException>(() => gate.CheckAsync(key, CancellationToken.None).AsTask());
        Assert.Equal(3600, refusal.Error.RetryAfterSeconds);
        Assert.EndsWith("$1.00 (daily) of API key abcdefghijkl is spent; it resets 2027-01-01 00:00 UTC", refusal.Error.Message, StringComparison.Ordinal);

        _time.Advance(TimeSpan.FromMinutes(59));
        await Assert.ThrowsAsync<ApiException>(() => gate.CheckAsync(key, CancellationToken.None).AsTask());
        _time.Advance(TimeSpan.FromMinutes(1));
        await gate.CheckAsync(key, CancellationToken.None);
    }

    [Fact]
    public async Task A_spent_total_budget_has_no_retry_after()
    {
        var key = Key(500_000, BudgetPeriod.Total);
        _store.AddOthers(MemoryLedgerStore.Row("r1", key.Id, DateTimeOffset.Parse("2020-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), 600_000));

        var refusal = await Assert.ThrowsAsync<ApiException>(() => Gate().CheckAsync(key, CancellationToken.None).AsTask());

        Assert.Null(refusal.Error.RetryAfterSeconds);
        Assert.Equal("The budget of $0.50 (total) of API key abcdefghijkl is spent; it does not reset", refusal.Error.Message);
    }

    [Fact]
    public async Task A_key_without_a_budget_is_not_looked_up()
    {
        var key = Key(1, BudgetPeriod.Monthly) with { Budget = null };

        await Gate().CheckAsync(key, CancellationToken.None);

        Assert.Equal(0, _store.SpentReads);
    }

    [Fact]
    public async Task An_unreachable_store_admits_unless_failing_closed()
    {
        var key = Key(1, BudgetPeriod.Monthly);
        _store.SpentFails = true;

        await Gate().CheckAsync(key, CancellationToken.None);
        var refusal = await Assert.ThrowsAsync<ApiException>(() => Gate(failClosed: true).CheckAsync(key, CancellationToken.None).AsTask());

        Assert.Equal(ApiErrorKind.Billing, refusal.Error.Kind);
        Assert.StartsWith("spend limit unavailable", refusal.Error.Message, StringComparison.Ordinal);
        Assert.Null(refusal.Error.RetryAfterSeconds);
    }

    [Fact]
    public async Task A_store_slower_than_the_read_timeout_admits()
    {
        var key = Key(1, BudgetPeriod.Monthly);
        _store.AddOthers(MemoryLedgerStore.Row("r1", key.Id, _time.GetUtcNow(), 5));
        _store.SpentGate = new TaskCompletionSource();

        var check = Gate().CheckAsync(key, CancellationToken.None).AsTask();
        await Task.Delay(50);
        Assert.False(check.IsCompleted);
        _time.Advance(BudgetGate.ReadTimeout);

        await check.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Theory]
    [InlineData(25_000_000, "$25.00")]
    [InlineData(12_500, "$0.0125")]
    [InlineData(1_234_567_890, "$1,234.56789")]
    public void Amounts_are_shown_in_dollars(long micros, string text)
    {
        Assert.Equal(text, BudgetGate.Dollars(micros));
    }
}
