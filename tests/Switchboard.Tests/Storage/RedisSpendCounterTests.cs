using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using Switchboard.Configuration;
using Switchboard.Storage.Redis;
using Switchboard.Tenancy;
using Switchboard.Tenancy.Budgets;
using Switchboard.Tests.Support;
using Switchboard.Tests.Tenancy.Ledger;

namespace Switchboard.Tests.Storage;

/// <summary>The shared budget counter on a real Redis (<c>build/test-services.sh</c>).</summary>
public sealed class RedisSpendCounterTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-10T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly MemoryLedgerStore _store = new();
    private readonly string _keyId = "k" + Guid.NewGuid().ToString("N")[..11];
    private ConnectionMultiplexer _redis = null!;

    public async Task InitializeAsync() => _redis = await ConnectionMultiplexer.ConnectAsync(TestServices.Redis);

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    private RedisSpendCounter Counter() => new(
        new RedisConnection(_redis), new StoreSpendCounter(_store, _time, NullLogger<StoreSpendCounter>.Instance), _store, new SwitchboardOptions(), _time,
        NullLogger<RedisSpendCounter>.Instance);

    private async Task<long?> Stored(BudgetWindow window)
    {
        var value = await _redis.GetDatabase().StringGetAsync(RedisSpendCounter.Key(_keyId, window));
        return value.HasValue ? (long)value : null;
    }

    private static async Task Until(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 300 && !await condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(await condition());
    }

    [Fact]
    public async Task A_counter_is_seeded_from_the_store_once_and_expires_a_day_after_its_window()
    {
        var day = BudgetWindow.For(BudgetPeriod.Daily, _time.GetUtcNow());
        _store.AddOthers(MemoryLedgerStore.Row("earlier", _keyId, _time.GetUtcNow().AddHours(-1), 100));

        Assert.Equal(100, await Counter().SpentAsync(_keyId, day, CancellationToken.None));
        Assert.Equal(100, await Counter().SpentAsync(_keyId, day, CancellationToken.None));

        Assert.Equal(1, _store.SpentReads);
        var ttl = await _redis.GetDatabase().KeyTimeToLiveAsync(RedisSpendCounter.Key(_keyId, day));
        Assert.InRange(ttl!.Value, TimeSpan.FromHours(36) - TimeSpan.FromMinutes(1), TimeSpan.FromHours(36));
    }

    [Fact]
    public async Task A_raise_by_one_process_is_seen_by_another_at_once()
    {
        var month = BudgetWindow.For(BudgetPeriod.Monthly, _time.GetUtcNow());
        var one = Counter();
        var other = Counter();
        Assert.Equal(0, await one.SpentAsync(_keyId, month, CancellationToken.None));

        one.Add(_keyId, month, "r1", 40);
        await Until(async () => await Stored(month) == 40);

        Assert.Equal(40, await other.SpentAsync(_keyId, month, CancellationToken.None));
    }

    [Fact]
    public async Task A_raise_of_a_counter_nobody_checked_yet_seeds_it_first()
    {
        var month = BudgetWindow.For(BudgetPeriod.Monthly, _time.GetUtcNow());
        _store.AddOthers(MemoryLedgerStore.Row("earlier", _keyId, _time.GetUtcNow().AddDays(-1), 500));

        Counter().Add(_keyId, month, "r1", 25);

        await Until(async () => await Stored(month) == 525);
    }
}
