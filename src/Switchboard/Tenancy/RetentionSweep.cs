namespace Switchboard.Tenancy;

/// <summary>
/// Deletes what is older than a retention period: once shortly after start, then every <see cref="Interval"/>. Off
/// when the period is 0 days. Every process sharing a store sweeps; a sweep is idempotent, and a failed one is
/// logged and tried again at the next tick.
/// </summary>
public abstract class RetentionSweep(int days, TimeProvider time) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <summary>The first sweep waits this long, so it does not compete with start-up.</summary>
    public static readonly TimeSpan FirstDelay = TimeSpan.FromMinutes(1);

    protected int Days { get; } = days;

    /// <summary>Deletes what is past retention once; returns how much went (0 when retention is off).</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        if (Days <= 0)
        {
            return 0;
        }

        var deleted = await DeleteOlderThanAsync(time.GetUtcNow() - TimeSpan.FromDays(Days), cancellationToken);
        if (deleted > 0)
        {
            OnSwept(deleted);
        }

        return deleted;
    }

    protected abstract Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);

    protected abstract void OnSwept(int deleted);

    protected abstract void OnSweepFailed(Exception failure);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Days <= 0)
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
                    OnSweepFailed(failure);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
