
namespace Switchboard.Egress;

/// <summary>
/// How a streaming response keeps pace with its upstream: before each wait for upstream bytes, what has been
/// written to the client is flushed (so every event goes out as soon as it exists, and several events from one
/// upstream read go out together); while the upstream stays silent, a keep-alive is sent every
/// <see cref="IdleInterval"/> so long prefills don't trip client watchdogs. Both run on the reading task, between
/// reads, so they never race the events being written.
/// </summary>
public sealed class StreamPacing(
    Func<CancellationToken, ValueTask> flush,
    Func<CancellationToken, ValueTask> keepAlive,
    TimeSpan idleInterval,
    TimeProvider time)
{
    public TimeSpan IdleInterval { get; } = idleInterval;

    public ValueTask FlushAsync(CancellationToken cancellationToken) => flush(cancellationToken);

    /// <summary>Waits for <paramref name="task"/>, sending a keep-alive each time the idle interval passes.</summary>
    public async Task<T> WaitAsync<T>(Task<T> task, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return await task.WaitAsync(IdleInterval, time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                await keepAlive(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Wraps an upstream body so every read first flushes and then waits with keep-alives.</summary>
    public Stream Wrap(Stream upstreamBody) => new PacedReadStream(upstreamBody, this);
}
