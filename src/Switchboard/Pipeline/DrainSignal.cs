namespace Switchboard.Pipeline;

/// <summary>
/// The server's shutdown as the pipeline sees it, in two steps. <see cref="BeginShutdown"/> (on the stop signal):
/// readiness fails and new requests are refused with a retryable error, while running ones go on. Once the drain
/// period has passed, <see cref="Draining"/> fires: <see cref="StreamStage"/> stops reading the upstream, ends each
/// stream still running with the front door's in-stream error (a retryable <c>overloaded_error</c> on the Anthropic
/// door) and settles the usage it had so far.
/// </summary>
public sealed class DrainSignal : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private ITimer? _timer;
    private volatile bool _stopping;

    /// <summary>True from the stop signal on: readiness fails and new requests are refused.</summary>
    public bool IsStopping => _stopping;

    public CancellationToken Draining => _source.Token;

    public bool IsDraining => _source.IsCancellationRequested;

    /// <summary>Stops taking requests now, and ends the streams still running after <paramref name="drainPeriod"/>.</summary>
    public void BeginShutdown(TimeSpan drainPeriod, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _stopping = true;
        if (drainPeriod <= TimeSpan.Zero)
        {
            Drain();
            return;
        }

        _timer ??= time.CreateTimer(static state => ((DrainSignal)state!).Drain(), this, drainPeriod, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Ends the streams still running.</summary>
    public void Drain()
    {
        _stopping = true;
        try
        {
            _source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The server is already gone.
        }
    }

    public void Dispose()
    {
        _timer?.Dispose();
        _source.Dispose();
    }
}
