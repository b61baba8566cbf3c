using Switchboard.Configuration;

namespace Switchboard.Tenancy.Responses;

/// <summary>
/// Deletes stored responses older than <see cref="StorageOptions.ResponseRetentionDays"/>: once shortly after start,
/// then every <see cref="Interval"/>. Off when the setting is 0. Every process sharing a store sweeps; a sweep is
/// idempotent. Reads go by creation time too (<see cref="ResponseAccess"/>), so a response past retention is
/// never served between sweeps.
/// </summary>
public sealed partial class ResponseRetention(IResponseStore store, SwitchboardOptions options, TimeProvider time, ILogger<ResponseRetention> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <summary>The first sweep waits this long, so it does not compete with start-up.</summary>
    public static readonly TimeSpan FirstDelay = TimeSpan.FromMinutes(1);

    private readonly int _days = options.Storage.ResponseRetentionDays;

    /// <summary>Deletes the responses past retention once; returns how many went.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        if (_days <= 0)
        {
            return 0;
        }

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

    [LoggerMessage(EventId = 440, Level = LogLevel.Information, Message = "Stored responses: deleted {Count} older than {Days} days")]
    private static partial void LogSwept(ILogger logger, int count, int days);

    [LoggerMessage(EventId = 441, Level = LogLevel.Warning, Message = "Stored responses retention sweep failed; it runs again within the hour")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
