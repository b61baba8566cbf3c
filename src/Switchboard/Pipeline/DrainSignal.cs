namespace Switchboard.Pipeline;

/// <summary>
/// Tells running streams that the server is going away. <see cref="StreamStage"/> observes <see cref="Draining"/>:
/// when it fires, a stream stops reading its upstream, ends with the front door's in-stream error (a retryable
/// <c>overloaded_error</c> on the Anthropic door) and settles the usage it had so far. Hosting fires it once the
/// drain period after a shutdown signal has passed.
/// </summary>
public sealed class DrainSignal : IDisposable
{
    private readonly CancellationTokenSource _source = new();

    public CancellationToken Draining => _source.Token;

    public bool IsDraining => _source.IsCancellationRequested;

    /// <summary>Ends the streams still running.</summary>
    public void Drain() => _source.Cancel();

    public void Dispose() => _source.Dispose();
}
