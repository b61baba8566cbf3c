using Switchboard.Configuration;

namespace Switchboard.Tenancy.Ledger;

/// <summary>
/// Deletes per-request ledger rows older than <see cref="StorageOptions.LedgerRetentionDays"/> (daily totals stay,
/// so usage by day, key and model and total budgets keep their history): once shortly after start, then every
/// <see cref="Interval"/>. Off when the setting is 0. Every process sharing a store sweeps; a sweep is idempotent.
/// </summary>
public sealed partial class LedgerRetention(IUsageLedgerStore store, SwitchboardOptions options, TimeProvider time, ILogger<LedgerRetention> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <summary>The first sweep waits this long, so it does not compete with start-up.</summary>
    public static readonly TimeSpan FirstDelay = TimeSpan.FromMinutes(1);

    private readonly int _days = options.Storage.LedgerRetentionDays;

    /// <summary>Deletes the rows past retention once; returns how many went.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - TimeSpan.FromDays(_days);
        var deleted = await store.DeleteOlderThanAsync(cutoff, cancellationToken);
        if (deleted > 0)
        {
            LogSwept(logger, deleted, _days);
        }

        return deleted;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_days <= 0)
        {
            return;
        }

        try
        {
            await Task.Delay(FirstDelay, time, stoppingToken);
            using var timer = new PeriodicTimer(Interval, time);
            do
            {
                try
                {
                    await SweepAsync(stoppingToken);
                }
                catch (Exception failure) when (!stoppingToken.IsCancellationRequested)
                {
                    LogSweepFailed(logger, failure);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 414, Level = LogLevel.Information, Message = "Usage ledger: deleted {Rows} row(s) older than {Days} days")]
    private static partial void LogSwept(ILogger logger, int rows, int days);

    [LoggerMessage(EventId = 415, Level = LogLevel.Warning, Message = "Usage ledger retention sweep failed; it runs again within the hour")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
