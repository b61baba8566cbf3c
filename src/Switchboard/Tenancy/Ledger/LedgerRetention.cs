using Switchboard.Configuration;

namespace Switchboard.Tenancy.Ledger;

/// <summary>
/// Deletes per-request ledger rows older than <see cref="StorageOptions.LedgerRetentionDays"/> (a
/// <see cref="RetentionSweep"/>). Daily totals stay, so usage by day, key and model and total budgets keep their history.
/// </summary>
public sealed partial class LedgerRetention(IUsageLedgerStore store, SwitchboardOptions options, TimeProvider time, ILogger<LedgerRetention> logger)
    : RetentionSweep(options.Storage.LedgerRetentionDays, time)
{
    protected override Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        store.DeleteOlderThanAsync(cutoff, cancellationToken);

    protected override void OnSwept(int deleted) => LogSwept(logger, deleted, Days);

    protected override void OnSweepFailed(Exception failure) => LogSweepFailed(logger, failure);

    [LoggerMessage(EventId = 414, Level = LogLevel.Information, Message = "Usage ledger: deleted {Rows} row(s) older than {Days} days")]
    private static partial void LogSwept(ILogger logger, int rows, int days);

    [LoggerMessage(EventId = 415, Level = LogLevel.Warning, Message = "Usage ledger retention sweep failed; it runs again within the hour")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
