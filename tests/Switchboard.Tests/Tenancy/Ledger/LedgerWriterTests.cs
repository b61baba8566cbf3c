using Switchboard.Pipeline;
using Switchboard.Telemetry;
using Switchboard.Tenancy.Ledger;

namespace Switchboard.Tests.Tenancy.Ledger;

public sealed class LedgerWriterTests : IDisposable
{
    private readonly LedgerTestKit _kit = new(queueCapacity: 10_000);

    public void Dispose() => _kit.Dispose();

    private void Settle(int count, int from = 0)
    {
        for (var i = from; i < from + count; i++)
        {
            _kit.Settlement.Settle(new RequestRecord
            {
                RequestId = $"req_{i}", StartedAt = _kit.Time.GetUtcNow(), FrontDoor = "anthropic", Model = "m", Status = 200, OutputTokens = 1,
            });
        }
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
    public async Task Rows_are_written_in_batches_of_at_most_a_thousand()
    {
        Settle(2500);
        using var writer = _kit.Writer();
        await writer.StartAsync(CancellationToken.None);

        await Until(() => _kit.Store.Rows.Count == 2500);
        Assert.Equal([1000, 1000, 500], _kit.Store.AppendedBatchSizes);
        Assert.Equal(2500, _kit.Measured(LedgerMetrics.Written));
        await writer.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_failed_write_is_retried_with_the_same_batch_after_a_growing_pause()
    {
        _kit.Store.FailuresToCome = 2;
        Settle(10);
        using var writer = _kit.Writer();
        await writer.StartAsync(CancellationToken.None);

        // The clock moves only once the writer's pause has its timer, or the timer would start after the move.
        await Until(() => _kit.Store.AppendAttempts == 1 && writer.PausesStarted == 1);
        _kit.Time.Advance(LedgerWriter.FirstBackoff);
        await Until(() => _kit.Store.AppendAttempts == 2 && writer.PausesStarted == 2);
        _kit.Time.Advance(LedgerWriter.FirstBackoff);
        await Task.Delay(50);
        Assert.Equal(2, _kit.Store.AppendAttempts); // the second pause is twice as long
        _kit.Time.Advance(LedgerWriter.FirstBackoff);

        await Until(() => _kit.Store.Rows.Count == 10);
        Assert.Equal([10], _kit.Store.AppendedBatchSizes);
        Assert.Equal(2, _kit.Measured(LedgerMetrics.WriteFailures));
        await writer.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Stopping_writes_the_batch_in_hand_and_everything_still_queued()
    {
        _kit.Store.FailuresToCome = 1;
        Settle(5);
        using var writer = _kit.Writer();
        await writer.StartAsync(CancellationToken.None);
        await Until(() => _kit.Store.AppendAttempts == 1);
        Settle(1500, from: 5);

        await writer.StopAsync(CancellationToken.None);

        Assert.Equal(1505, _kit.Store.Rows.Count);
        Assert.Equal(0, _kit.Queue.Count);
    }

    [Fact]
    public async Task Stopping_gives_up_at_the_shutdown_deadline_when_the_store_stays_down()
    {
        _kit.Store.FailuresToCome = int.MaxValue;
        Settle(3);
        using var writer = _kit.Writer();
        await writer.StartAsync(CancellationToken.None);
        await Until(() => _kit.Store.AppendAttempts == 1);
        using var deadline = new CancellationTokenSource();

        var stop = writer.StopAsync(deadline.Token);
        await Until(() => _kit.Store.AppendAttempts == 2);
        await deadline.CancelAsync();

        await stop.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Empty(_kit.Store.Rows);
    }
}
