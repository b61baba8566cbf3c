namespace Switchboard.Dashboard;

/// <summary>One time slot of a <see cref="TrafficRing"/>: counts, token sums and latency histograms of the requests that ended in it.</summary>
public sealed class TrafficSlot
{
    /// <summary>Which slot of time (seconds since the epoch / slot width) this holds; another value means it is stale.</summary>
    public long Epoch { get; set; } = -1;

    public long Requests { get; set; }

    public long Failures { get; set; }

    public long InputTokens { get; set; }

    /// <summary>Input tokens read from or written to the prompt cache.</summary>
    public long CachedTokens { get; set; }

    public long OutputTokens { get; set; }

    /// <summary>Time to first token, milliseconds.</summary>
    public int[] FirstToken { get; } = new int[LatencyBuckets.Count];

    /// <summary>Switchboard's own overhead, microseconds.</summary>
    public int[] Overhead { get; } = new int[LatencyBuckets.Count];

    /// <summary>Whole request duration, milliseconds.</summary>
    public int[] Duration { get; } = new int[LatencyBuckets.Count];

    public void Reset(long epoch)
    {
        Epoch = epoch;
        Requests = Failures = InputTokens = CachedTokens = OutputTokens = 0;
        Array.Clear(FirstToken);
        Array.Clear(Overhead);
        Array.Clear(Duration);
    }

    public void Add(in TrafficSample sample)
    {
        Requests++;
        Failures += sample.Failed ? 1 : 0;
        InputTokens += sample.InputTokens;
        CachedTokens += sample.CachedTokens;
        OutputTokens += sample.OutputTokens;
        if (sample.FirstTokenMs is { } firstToken)
        {
            FirstToken[LatencyBuckets.Of(firstToken)]++;
        }

        if (sample.OverheadUs is { } overhead)
        {
            Overhead[LatencyBuckets.Of(overhead)]++;
        }

        Duration[LatencyBuckets.Of(sample.DurationMs)]++;
    }

    /// <summary>Adds another slot's figures into this one (for sums over a range).</summary>
    public void Merge(TrafficSlot other)
    {
        Requests += other.Requests;
        Failures += other.Failures;
        InputTokens += other.InputTokens;
        CachedTokens += other.CachedTokens;
        OutputTokens += other.OutputTokens;
        for (var i = 0; i < LatencyBuckets.Count; i++)
        {
            FirstToken[i] += other.FirstToken[i];
            Overhead[i] += other.Overhead[i];
            Duration[i] += other.Duration[i];
        }
    }
}
