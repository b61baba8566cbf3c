namespace Switchboard.Tenancy.Limits;

/// <summary>
/// One key's counters in this process: three buckets and the requests in flight, behind the key's own lock (keys
/// never wait on each other). A bucket starts full the first time its limit is seen; a changed limit keeps the
/// level, capped at the new size.
/// </summary>
internal sealed class KeyCounters
{
    private readonly Lock _gate = new();
    private double _requests = double.NaN;
    private double _input = double.NaN;
    private double _output = double.NaN;
    private long _refilledAt;
    private bool _seen;
    private int _inFlight;

    public CounterDecision TryAdmit(CounterRequest request, long now, long frequency, in CounterTicket ticket)
    {
        var limits = request.Limits;
        lock (_gate)
        {
            Refill(limits, now, frequency);
            var (refusedBy, waitSeconds) = Check(limits, request.InputEstimate);
            if (refusedBy == LimitKind.None)
            {
                if (limits.RequestsPerMinute is not null)
                {
                    _requests -= 1;
                }

                if (limits.InputTokensPerMinute is not null)
                {
                    _input -= request.InputEstimate;
                }

                if (limits.Concurrency is not null)
                {
                    _inFlight++;
                }
            }

            var wait = double.IsPositiveInfinity(waitSeconds) ? TimeSpan.MaxValue : TimeSpan.FromSeconds(waitSeconds);
            return new CounterDecision(refusedBy == LimitKind.None, refusedBy, wait, Levels, ticket);
        }
    }

    public CounterLevels Peek(KeyLimits limits, long now, long frequency)
    {
        lock (_gate)
        {
            Refill(limits, now, frequency);
            return Levels;
        }
    }

    public void Charge(KeyLimits limits, long input, long output, bool release, long now, long frequency)
    {
        lock (_gate)
        {
            Refill(limits, now, frequency);
            if (limits.InputTokensPerMinute is { } inputLimit)
            {
                _input = Math.Min(inputLimit, _input - input);
            }

            if (limits.OutputTokensPerMinute is { } outputLimit)
            {
                _output = Math.Min(outputLimit, _output - output);
            }

            if (release && _inFlight > 0)
            {
                _inFlight--;
            }
        }
    }

    private CounterLevels Levels => new(_requests, _input, _output, _inFlight);

    private void Refill(KeyLimits limits, long now, long frequency)
    {
        var elapsed = _seen ? (double)(now - _refilledAt) / frequency : 0;
        _refilledAt = now;
        _seen = true;
        _requests = Refill(_requests, limits.RequestsPerMinute, elapsed);
        _input = Refill(_input, limits.InputTokensPerMinute, elapsed);
        _output = Refill(_output, limits.OutputTokensPerMinute, elapsed);
    }

    private static double Refill(double level, long? limit, double elapsed) => limit switch
    {
        null => double.NaN,
        { } capacity when double.IsNaN(level) => capacity,
        { } capacity => TokenBucket.Refill(level, capacity, elapsed),
    };

    /// <summary>The first limit that refuses (concurrency first, then the bucket with the longest wait), and that wait.</summary>
    private (LimitKind RefusedBy, double WaitSeconds) Check(KeyLimits limits, long inputEstimate)
    {
        if (limits.Concurrency is { } slots && _inFlight >= slots)
        {
            return (LimitKind.Concurrency, 1);
        }

        var refusedBy = LimitKind.None;
        var longest = 0.0;
        Consider(LimitKind.Requests, _requests, limits.RequestsPerMinute, inputEstimate, ref refusedBy, ref longest);
        Consider(LimitKind.InputTokens, _input, limits.InputTokensPerMinute, inputEstimate, ref refusedBy, ref longest);
        Consider(LimitKind.OutputTokens, _output, limits.OutputTokensPerMinute, inputEstimate, ref refusedBy, ref longest);
        return (refusedBy, longest);
    }

    private static void Consider(LimitKind kind, double level, long? limit, long inputEstimate, ref LimitKind refusedBy, ref double longest)
    {
        if (limit is not { } capacity)
        {
            return;
        }

        var wait = TokenBucket.SecondsUntil(level, TokenBucket.Needed(kind, capacity, inputEstimate), capacity);
        if (wait > longest)
        {
            refusedBy = kind;
            longest = wait;
        }
    }
}
