namespace Switchboard.Telemetry;

/// <summary>
/// Lets one warning through per interval, so a failure that repeats on every request (a store down, a full queue)
/// is reported without flooding the log. Thread-safe; counts what it held back.
/// </summary>
public sealed class LogThrottle(TimeProvider time, TimeSpan interval)
{
    private long _lastAllowed = long.MinValue;
    private long _suppressed;

    /// <summary>True when a message may be logged now; <paramref name="suppressed"/> is how many were held back since the last one.</summary>
    public bool TryEnter(out long suppressed)
    {
        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref _lastAllowed);
        if ((last == long.MinValue || time.GetElapsedTime(last, now) >= interval)
            && Interlocked.CompareExchange(ref _lastAllowed, now, last) == last)
        {
            suppressed = Interlocked.Exchange(ref _suppressed, 0);
            return true;
        }

        Interlocked.Increment(ref _suppressed);
        suppressed = 0;
        return false;
    }
}
