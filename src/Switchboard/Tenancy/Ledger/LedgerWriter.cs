using Switchboard.Telemetry;
using Switchboard.Tenancy.Budgets;

namespace Switchboard.Tenancy.Ledger;

/// <summary>
/// Writes queued ledger rows to the store in batches, off every request's path: up to <see cref="MaxBatch"/> rows
/// per <see cref="IUsageLedgerStore.AppendAsync"/>, and when fewer were waiting, a pause of
/// <see cref="FlushInterval"/> so the next batch gathers. A failed write is retried with a growing pause (up to
/// <see cref="MaxBackoff"/>) with the same batch, which is never lost while the process runs; meanwhile new rows
/// wait in the bounded queue, which drops and counts what does not fit (<see cref="LedgerQueue"/>). Appending is
/// idempotent per request id, so a write that failed half-way is simply written again. On shutdown the writer empties
/// the queue before it returns, retrying until the host's shutdown deadline; what is still unwritten then is logged.
/// </summary>
public sealed partial class LedgerWriter(
    LedgerQueue queue, IUsageLedgerStore store, StoreSpendCounter spend, LedgerMetrics metrics, TimeProvider time, ILogger<LedgerWriter> logger)
    : IHostedService, IDisposable
{
    public const int MaxBatch = 1000;
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private readonly CancellationTokenSource _stopping = new();
    private readonly LogThrottle _failureReports = new(time, TimeSpan.FromSeconds(30));

    // The batch in hand: kept across failed writes, and handed from the running loop to the shutdown drain.
    private readonly List<UsageRow> _batch = new(MaxBatch);
    private Task _loop = Task.CompletedTask;
    private int _failures;
    private int _pausesStarted;

    /// <summary>Pauses before a retry whose timer is set (tests move a fake clock only once it is).</summary>
    internal int PausesStarted => Volatile.Read(ref _pausesStarted);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _loop;
        try
        {
            while (_batch.Count > 0 || Fill() > 0)
            {
                await WriteAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            LogLost(logger, _batch.Count + queue.Count);
        }
    }

    public void Dispose() => _stopping.Dispose();

    private async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            while (true)
            {
                if (_batch.Count == 0)
                {
                    if (!await queue.Reader.WaitToReadAsync(stopping))
                    {
                        return;
                    }

                    Fill();
                }

                var full = _batch.Count >= MaxBatch;
                await WriteAsync(stopping);
                if (!full)
                {
                    await Task.Delay(FlushInterval, time, stopping);
                }
            }
        }
        catch (Exception) when (stopping.IsCancellationRequested)
        {
            // Shutting down: StopAsync writes the batch in hand and what is still queued — also when the stop came
            // while a write was failing, whose failure then arrives here instead of as a retry.
        }
    }

    private int Fill()
    {
        while (_batch.Count < MaxBatch && queue.Reader.TryRead(out var row))
        {
            _batch.Add(row);
        }

        return _batch.Count;
    }

    /// <summary>Writes the batch in hand, retrying until it is stored; throws only when <paramref name="cancellationToken"/> fires.</summary>
    private async Task WriteAsync(CancellationToken cancellationToken)
    {
        var backoff = FirstBackoff;
        while (true)
        {
            var rows = _batch.ToArray();
            try
            {
                await store.AppendAsync(rows, cancellationToken);
            }
            catch (Exception failure) when (!cancellationToken.IsCancellationRequested)
            {
                metrics.WriteFailed();
                _failures++;
                if (_failureReports.TryEnter(out _))
                {
                    LogWriteFailed(logger, failure, rows.Length, queue.Count, backoff.TotalSeconds);
                }

                var pause = Task.Delay(backoff, time, cancellationToken);
                Interlocked.Increment(ref _pausesStarted);
                await pause;
                backoff = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, backoff.Ticks * 2));
                continue;
            }

            _batch.Clear();
            metrics.RowsWritten(rows.Length);
            spend.Written(rows);
            if (_failures > 0)
            {
                LogRecovered(logger, _failures);
                _failures = 0;
            }

            return;
        }
    }

    [LoggerMessage(EventId = 411, Level = LogLevel.Warning,
        Message = "Usage ledger write of {Rows} row(s) failed; retrying in {Seconds} s ({Queued} more row(s) queued)")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, int rows, int queued, double seconds);

    [LoggerMessage(EventId = 412, Level = LogLevel.Information, Message = "Usage ledger writes succeed again after {Failures} failed attempt(s)")]
    private static partial void LogRecovered(ILogger logger, int failures);

    [LoggerMessage(EventId = 413, Level = LogLevel.Error,
        Message = "Usage ledger: {Rows} row(s) could not be written before the shutdown deadline and are lost")]
    private static partial void LogLost(ILogger logger, int rows);
}
