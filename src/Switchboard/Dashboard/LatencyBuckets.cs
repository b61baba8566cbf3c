namespace Switchboard.Dashboard;

/// <summary>
/// A fixed log-scale histogram layout for latencies: bucket 0 holds values up to 0.1 (of the unit counted: ms or
/// µs), each further bucket 25 % wider than the last, the last one everything above ~127,000. Percentiles read
/// from it are within about 12 % of the true value: enough for a chart, at a fixed 64 counters per histogram.
/// </summary>
public static class LatencyBuckets
{
    public const int Count = 64;

    private const double Smallest = 0.1;

    private static readonly double LogRatio = Math.Log(1.25);

    public static int Of(double value)
    {
        if (!(value > Smallest))
        {
            return 0;
        }

        var bucket = 1 + (int)(Math.Log(value / Smallest) / LogRatio);
        return Math.Min(bucket, Count - 1);
    }

    /// <summary>The value a bucket stands for: the geometric middle of its bounds.</summary>
    public static double Representative(int bucket) =>
        bucket == 0 ? Smallest : Smallest * Math.Pow(1.25, bucket - 0.5);

    /// <summary>The <paramref name="quantile"/> (0-1) of the counts, or null when there are none.</summary>
    public static double? Percentile(ReadOnlySpan<int> counts, double quantile)
    {
        long total = 0;
        foreach (var count in counts)
        {
            total += count;
        }

        if (total == 0)
        {
            return null;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(quantile * total));
        long seen = 0;
        for (var bucket = 0; bucket < counts.Length; bucket++)
        {
            seen += counts[bucket];
            if (seen >= rank)
            {
                return Representative(bucket);
            }
        }

        return Representative(counts.Length - 1);
    }
}
