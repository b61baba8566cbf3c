using Switchboard.Buffers;

namespace Switchboard.Egress;

/// <summary>
/// How long one client request has spent waiting on model servers: the wall-clock time during which at least one
/// upstream call (headers or body bytes) was outstanding (the stream stage also marks a flush that waits for a slow
/// client to read). Request time minus this is Switchboard's own overhead.
/// The request's clock is ambient (it flows with the request's async calls), so the code that waits on an upstream
/// marks the wait without the clock being passed through every signature in between.
/// </summary>
public sealed class UpstreamWait
{
    private static readonly AsyncLocal<UpstreamWait?> Ambient = new();

    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private int _outstanding;
    private long _since;
    private long _waited;

    public UpstreamWait(TimeProvider time) => _time = time;

    /// <summary>The clock of the request this code runs for, if any.</summary>
    public static UpstreamWait? Current => Ambient.Value;

    /// <summary>How many upstream waits have been marked.</summary>
    public int Waits { get; private set; }

    /// <summary>Starts a clock for the calling request: calls made from here on (and their continuations) report to it.</summary>
    public static UpstreamWait Begin(TimeProvider time) => Ambient.Value = new UpstreamWait(time);

    /// <summary>Marks the start of a wait on an upstream in the current request, if it has a clock; dispose to end it.</summary>
    public static Scope Mark() => new(Ambient.Value);

    /// <summary>Total waiting time so far; overlapping waits (a count running beside the request) count once.</summary>
    public TimeSpan Waited
    {
        get
        {
            lock (_gate)
            {
                var ticks = _waited + (_outstanding > 0 ? _time.GetTimestamp() - _since : 0);
                return TimeSpan.FromSeconds((double)ticks / _time.TimestampFrequency);
            }
        }
    }

    private void Enter()
    {
        lock (_gate)
        {
            Waits++;
            if (_outstanding++ == 0)
            {
                _since = _time.GetTimestamp();
            }
        }
    }

    private void Exit()
    {
        lock (_gate)
        {
            if (--_outstanding == 0)
            {
                _waited += _time.GetTimestamp() - _since;
            }
        }
    }

    /// <summary>One wait, ended by <see cref="Dispose"/>. A no-op outside a request.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly UpstreamWait? _owner;

        internal Scope(UpstreamWait? owner)
        {
            _owner = owner;
            owner?.Enter();
        }

        public void Dispose() => _owner?.Exit();
    }
}
