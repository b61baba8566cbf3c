namespace Switchboard.Tenancy.Limits;

/// <summary>
/// The arithmetic of a continuous token bucket holding at most a per-minute limit and refilled at that limit per
/// minute (Anthropic's model: a 60-per-minute limit is one per second, never a burst at a window's edge). A level
/// may go below zero: corrections and output charged as it is produced can overdraw a bucket, and the caller then
/// waits until it has refilled. Every implementation of the counters (in process, Redis) follows these rules.
/// </summary>
public static class TokenBucket
{
    /// <summary>The level after <paramref name="elapsedSeconds"/> of refilling, never above the capacity.</summary>
    public static double Refill(double level, long capacity, double elapsedSeconds) =>
        Math.Min(capacity, level + (Math.Max(0, elapsedSeconds) * capacity / 60.0));

    /// <summary>
    /// What a bucket must hold to admit a request: one request; the input estimate, but never more than a full
    /// bucket (a request larger than the whole limit waits for a full bucket and overdraws it); one output token
    /// (output is charged as produced, not reserved).
    /// </summary>
    public static double Needed(LimitKind kind, long capacity, long inputEstimate) => kind switch
    {
        LimitKind.InputTokens => Math.Max(1, Math.Min(inputEstimate, capacity)),
        _ => 1,
    };

    /// <summary>Refilling in steps adds rounding errors far below this; a bucket this close to the need holds it.</summary>
    public const double Tolerance = 1e-9;

    /// <summary>Seconds until the bucket holds <paramref name="needed"/>; 0 when it does; infinity for a limit of 0.</summary>
    public static double SecondsUntil(double level, double needed, long capacity) =>
        level + Tolerance >= needed ? 0 : capacity <= 0 ? double.PositiveInfinity : (needed - level) * 60.0 / capacity;

    /// <summary>Seconds until the bucket is full again.</summary>
    public static double SecondsUntilFull(double level, long capacity) =>
        capacity <= 0 ? 0 : Math.Max(0, (capacity - level) * 60.0 / capacity);

    /// <summary>
    /// A wait as the clients' <c>retry-after</c> reads it: whole seconds rounded up, at least 1 (a client told 0
    /// retries at once and is refused again).
    /// </summary>
    public static int RetryAfterSeconds(TimeSpan wait) =>
        (int)Math.Clamp(Math.Ceiling(wait.TotalSeconds), 1, int.MaxValue);

    /// <summary>The same wait in whole milliseconds rounded up, at least 1.</summary>
    public static int RetryAfterMilliseconds(TimeSpan wait) =>
        (int)Math.Clamp(Math.Ceiling(wait.TotalMilliseconds), 1, int.MaxValue);
}
