using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Tenancy.Ledger;

namespace Switchboard.Tests.Tenancy.Ledger;

public sealed class LedgerRetentionTests : IDisposable
{
    private readonly LedgerTestKit _kit = new();

    public void Dispose() => _kit.Dispose();

    private LedgerRetention Retention(int days)
    {
        _kit.Options.Storage.LedgerRetentionDays = days;
        return new LedgerRetention(_kit.Store, _kit.Options, _kit.Time, NullLogger<LedgerRetention>.Instance);
    }

    private static async Task Until(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }

    [Fact]
    public async Task Rows_older_than_the_retention_go_a_minute_after_start_and_then_every_hour()
    {
        var now = _kit.Time.GetUtcNow();
        _kit.Store.AddOthers(MemoryLedgerStore.Row("old", "k", now.AddDays(-31), 1));
        _kit.Store.AddOthers(MemoryLedgerStore.Row("recent", "k", now.AddDays(-29), 1));
        using var retention = Retention(30);
        await retention.StartAsync(CancellationToken.None);

        // ExecuteAsync starts on the thread pool, so the first delay is registered a moment after StartAsync: step
        // the clock until the sweep runs, which must not be before the first delay has passed.
        while (_kit.Store.DeleteCutoffs.Count == 0)
        {
            Assert.True(_kit.Time.GetUtcNow() - now < LedgerRetention.FirstDelay * 3);
            _kit.Time.Advance(TimeSpan.FromSeconds(5));
            await Task.Delay(10);
        }

        Assert.InRange(_kit.Time.GetUtcNow() - now, LedgerRetention.FirstDelay, LedgerRetention.FirstDelay * 3);
        Assert.InRange(_kit.Store.DeleteCutoffs[0], now + LedgerRetention.FirstDelay - TimeSpan.FromDays(30), _kit.Time.GetUtcNow() - TimeSpan.FromDays(30));
        Assert.Equal(["recent"], _kit.Store.Rows.Select(r => r.RequestId));

        // Then every interval: stepped like the first, since the next delay is registered a moment after a sweep.
        for (var sweeps = 2; sweeps <= 3; sweeps++)
        {
            var last = _kit.Time.GetUtcNow();
            while (_kit.Store.DeleteCutoffs.Count < sweeps)
            {
                Assert.True(_kit.Time.GetUtcNow() - last < LedgerRetention.Interval * 2);
                _kit.Time.Advance(TimeSpan.FromMinutes(1));
                await Task.Delay(10);
            }

            Assert.True(_kit.Time.GetUtcNow() - last >= LedgerRetention.Interval);
        }

        await retention.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Zero_days_keeps_every_row()
    {
        _kit.Store.AddOthers(MemoryLedgerStore.Row("ancient", "k", DateTimeOffset.UnixEpoch, 1));
        using var retention = Retention(0);
        await retention.StartAsync(CancellationToken.None);

        _kit.Time.Advance(LedgerRetention.FirstDelay + LedgerRetention.Interval);
        await Task.Delay(100);

        Assert.Empty(_kit.Store.DeleteCutoffs);
        Assert.Single(_kit.Store.Rows);
        await retention.StopAsync(CancellationToken.None);
    }
}
