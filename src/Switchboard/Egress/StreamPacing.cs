using System.Runtime.ExceptionServices;

namespace Switchboard.Egress;

/// <summary>
/// How a streaming response keeps pace with its upstream: before each wait for upstream bytes, what has been
/// written to the client is flushed (so every event goes out as soon as it exists, and several events from one
/// upstream read go out together); while the upstream stays silent, a keep-alive is sent every
/// <see cref="IdleInterval"/> so long prefills don't trip client watchdogs.
/// </summary>
/// <remarks>
/// One timer serves the whole stream. A wait only records when it began; the timer, ticking every interval, sends a
/// keep-alive when a wait has lasted that long (and otherwise moves its next tick to when it would have), so a token
/// that arrives in time costs no timer work at all. A keep-alive is written only while the reader is waiting (the
/// state below, under a lock), so it never races the events the reader writes; a reader whose bytes arrive during a
/// keep-alive waits for it to finish before going on.
/// </remarks>
public sealed class StreamPacing(
    Func<CancellationToken, ValueTask> flush,
    Func<CancellationToken, ValueTask> keepAlive,
    TimeSpan idleInterval,
    TimeProvider time) : IDisposable
{
    private readonly Lock _gate = new();
    private ITimer? _timer;
    private State _state;
    private long _waitingSince;
    private CancellationToken _waitToken;
    private TaskCompletionSource? _keepAlive;
    private ExceptionDispatchInfo? _failure;

    private enum State
    {
        Busy,
        Waiting,
        Pinging,
        Stopped,
    }

    public TimeSpan IdleInterval { get; } = idleInterval;

    public ValueTask FlushAsync(CancellationToken cancellationToken) => flush(cancellationToken);

    /// <summary>Waits for <paramref name="task"/>, sending a keep-alive each time the idle interval passes.</summary>
    public async Task<T> WaitAsync<T>(Task<T> task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (task.IsCompleted)
        {
            return await task.ConfigureAwait(false);
        }

        Arm(cancellationToken);
        try
        {
            return await task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await DisarmAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Waits for a pending upstream read, with keep-alives. The wait ends when <paramref name="cancellationToken"/>
    /// fires even if the read does not: an HTTP body read is not reliably interrupted by its own token (an idle
    /// limit passing was noticed only when the next bytes came).
    /// </summary>
    internal async ValueTask<int> WaitAsync(ValueTask<int> read, CancellationToken cancellationToken)
    {
        Arm(cancellationToken);
        try
        {
            return cancellationToken.CanBeCanceled
                ? await read.AsTask().WaitAsync(cancellationToken).ConfigureAwait(false)
                : await read.ConfigureAwait(false);
        }
        finally
        {
            await DisarmAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Wraps an upstream body so every read first flushes and then waits with keep-alives.</summary>
    public Stream Wrap(Stream upstreamBody) => new PacedReadStream(upstreamBody, this);

    public void Dispose()
    {
        lock (_gate)
        {
            _state = State.Stopped;
        }

        _timer?.Dispose();
    }

    private void Arm(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _failure?.Throw();
            ObjectDisposedException.ThrowIf(_state == State.Stopped, this);
            _state = State.Waiting;
            _waitingSince = time.GetTimestamp();
            _waitToken = cancellationToken;
        }

        // Created on the first wait that does not complete at once (a stream whose every read does needs none), and
        // assigned before it is armed, so its first tick always finds it.
        if (_timer is null)
        {
            _timer = time.CreateTimer(static state => ((StreamPacing)state!).Tick(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _timer.Change(IdleInterval, IdleInterval);
        }
    }

    private async ValueTask DisarmAsync()
    {
        TaskCompletionSource? inFlight;
        lock (_gate)
        {
            inFlight = _state == State.Pinging ? _keepAlive : null;
            if (_state != State.Stopped)
            {
                _state = State.Busy;
            }
        }

        if (inFlight is not null)
        {
            await inFlight.Task.ConfigureAwait(false);
        }

        _failure?.Throw();
    }

    private void Tick()
    {
        TaskCompletionSource done;
        CancellationToken token;
        lock (_gate)
        {
            if (_state != State.Waiting)
            {
                return;
            }

            var waited = time.GetElapsedTime(_waitingSince);
            if (waited < IdleInterval)
            {
                // The wait began after the last tick: the next comes when this wait has lasted an interval.
                _timer?.Change(IdleInterval - waited, IdleInterval);
                return;
            }

            _state = State.Pinging;
            done = _keepAlive = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            token = _waitToken;
        }

        _ = SendKeepAliveAsync(done, token);
    }

    private async Task SendKeepAliveAsync(TaskCompletionSource done, CancellationToken cancellationToken)
    {
        try
        {
            await keepAlive(cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                if (_state == State.Pinging)
                {
                    _state = State.Waiting;
                    _waitingSince = time.GetTimestamp();
                }
            }
        }
        catch (Exception failure)
        {
            // The client is most likely gone: no more keep-alives; the reader rethrows this when its wait ends.
            lock (_gate)
            {
                _failure = ExceptionDispatchInfo.Capture(failure);
                if (_state == State.Pinging)
                {
                    _state = State.Busy;
                }
            }
        }
        finally
        {
            done.TrySetResult();
        }
    }
}
