using Switchboard.Configuration;
using Switchboard.Tenancy;

namespace Switchboard.Batches;

/// <summary>
/// Deletes batches, with their results, that ended more than <c>Batches:ResultRetentionDays</c> ago (a
/// <see cref="RetentionSweep"/>). Reads go by the end time too (<see cref="BatchAccess"/>), so an expired batch is never
/// served between sweeps.
/// </summary>
public sealed partial class BatchRetention(IBatchStore store, SwitchboardOptions options, TimeProvider time, ILogger<BatchRetention> logger)
    : RetentionSweep(options.Batches.ResultRetentionDays, time)
{
    protected override Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        store.DeleteEndedBeforeAsync(cutoff, cancellationToken);

    protected override void OnSwept(int deleted) => LogSwept(logger, deleted, Days);

    protected override void OnSweepFailed(Exception failure) => LogSweepFailed(logger, failure);

    [LoggerMessage(EventId = 465, Level = LogLevel.Information, Message = "Message batches: deleted {Count} that ended more than {Days} days ago, with their results")]
    private static partial void LogSwept(ILogger logger, int count, int days);

    [LoggerMessage(EventId = 466, Level = LogLevel.Warning, Message = "Message batches retention sweep failed; it runs again within the hour")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
