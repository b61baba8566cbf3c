using Switchboard.Configuration;

namespace Switchboard.Tenancy.Responses;

/// <summary>
/// Deletes stored responses older than <see cref="StorageOptions.ResponseRetentionDays"/> (a <see cref="RetentionSweep"/>).
/// Reads go by creation time too (<see cref="ResponseAccess"/>), so a response past retention is never served
/// between sweeps.
/// </summary>
public sealed partial class ResponseRetention(IResponseStore store, SwitchboardOptions options, TimeProvider time, ILogger<ResponseRetention> logger)
    : RetentionSweep(options.Storage.ResponseRetentionDays, time)
{
    protected override Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        store.DeleteOlderThanAsync(cutoff, cancellationToken);

    protected override void OnSwept(int deleted) => LogSwept(logger, deleted, Days);

    protected override void OnSweepFailed(Exception failure) => LogSweepFailed(logger, failure);

    [LoggerMessage(EventId = 440, Level = LogLevel.Information, Message = "Stored responses: deleted {Count} older than {Days} days")]
    private static partial void LogSwept(ILogger logger, int count, int days);

    [LoggerMessage(EventId = 441, Level = LogLevel.Warning, Message = "Stored responses retention sweep failed; it runs again within the hour")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
