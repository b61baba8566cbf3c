
namespace Switchboard.Egress;

/// <summary>
/// The time limits of one upstream call, joined with the caller's cancellation: the whole-request limit
/// (<see cref="Configuration.UpstreamOptions.TimeoutSeconds"/>), and optionally the time to the response headers
/// (<see cref="Configuration.UpstreamOptions.HeadersTimeoutSeconds"/>, disarmed by <see cref="HeadersReceived"/>) and the
/// longest silence between two reads of the body (<see cref="Configuration.UpstreamOptions.IdleTimeoutSeconds"/>,
/// re-armed by every read through <see cref="Watch"/>). Each says which one ran out, so each gets its own failure kind.
/// </summary>
public sealed class UpstreamDeadline : IDisposable
{
    private readonly CancellationTokenSource? _limit;
    private readonly CancellationTokenSource? _headers;
    private readonly CancellationTokenSource? _idle;
    private readonly TimeSpan _idleLimit;
    private readonly TimeProvider _time;
    private ITimer? _idleTimer;
    private long _lastRead;
    private readonly CancellationTokenSource _linked;

    public UpstreamDeadline(TimeSpan limit, TimeProvider time, CancellationToken caller)
        : this(limit, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan, time, caller)
    {
    }

    /// <param name="headers">Time to the response headers; infinite or zero: no such limit.</param>
    /// <param name="idle">Longest silence while the body is read through <see cref="Watch"/>; infinite or zero: none.</param>
    public UpstreamDeadline(TimeSpan limit, TimeSpan headers, TimeSpan idle, TimeProvider time, CancellationToken caller)
    {
        _time = time;
        var tokens = new List<CancellationToken>(4) { caller };
        if (IsLimit(limit))
        {
            _limit = new CancellationTokenSource(limit, time);
            tokens.Add(_limit.Token);
        }

        if (IsLimit(headers))
        {
            _headers = new CancellationTokenSource(headers, time);
            tokens.Add(_headers.Token);
        }

        if (IsLimit(idle))
        {
            _idleLimit = idle;
            _idle = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
            tokens.Add(_idle.Token);
        }

        _linked = CancellationTokenSource.CreateLinkedTokenSource([.. tokens]);
    }

    /// <summary>Cancelled when a limit passes or the caller cancels.</summary>
    public CancellationToken Token => _linked.Token;

    /// <summary>The whole-request limit passed.</summary>
    public bool Expired => _limit?.IsCancellationRequested == true;

    /// <summary>No response headers came within their limit.</summary>
    public bool HeadersExpired => _headers?.IsCancellationRequested == true;

    /// <summary>The body went silent for longer than the idle limit.</summary>
    public bool IdleExpired => _idle?.IsCancellationRequested == true;

    /// <summary>The headers are in: their limit no longer applies.</summary>
    public void HeadersReceived()
    {
        if (_headers is { IsCancellationRequested: false } headers)
        {
            headers.CancelAfter(Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>The body, with the idle limit armed now and re-armed after every read.</summary>
    public Stream Watch(Stream body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (_idle is null)
        {
            return body;
        }

        Touch();
        return new IdleWatchStream(body, this);
    }

    /// <summary>
    /// A read happened. Only its time is recorded: the one idle timer of the call, when it fires, checks how long ago
    /// the last read was and either ends the call or moves itself to when the limit would next pass. So a read costs
    /// a timestamp, not a timer re-arm.
    /// </summary>
    internal void Touch()
    {
        if (_idle is null)
        {
            return;
        }

        Volatile.Write(ref _lastRead, _time.GetTimestamp());
        if (_idleTimer is null)
        {
            // Assigned before it is armed, so its first tick always finds it.
            _idleTimer = _time.CreateTimer(static state => ((UpstreamDeadline)state!).IdleTick(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _idleTimer.Change(_idleLimit, Timeout.InfiniteTimeSpan);
        }
    }

    private void IdleTick()
    {
        var silent = _time.GetElapsedTime(Volatile.Read(ref _lastRead));
        if (silent >= _idleLimit)
        {
            try
            {
                _idle!.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The call ended while the timer fired.
            }

            return;
        }

        try
        {
            _idleTimer?.Change(_idleLimit - silent, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        _idleTimer?.Dispose();
        _linked.Dispose();
        _limit?.Dispose();
        _headers?.Dispose();
        _idle?.Dispose();
    }

    private static bool IsLimit(TimeSpan limit) => limit > TimeSpan.Zero && limit != Timeout.InfiniteTimeSpan;
}
