using System.Diagnostics.Metrics;

namespace Switchboard.Telemetry;

/// <summary>
/// The <c>switchboard.overhead</c> histogram (meter <c>Switchboard</c>, seconds): for every request that reached an
/// upstream, its time in Switchboard minus its time waiting on the upstream. Tagged <c>switchboard.streaming</c>.
/// </summary>
public sealed class OverheadMetrics
{
    public const string MeterName = "Switchboard";
    public const string InstrumentName = "switchboard.overhead";

    /// <summary>Fine buckets at the low end, where a gateway's own cost should be.</summary>
    private static readonly double[] Buckets =
        [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

    private readonly Histogram<double> _overhead;

    public OverheadMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _overhead = meters.Create(MeterName).CreateHistogram(
            InstrumentName,
            unit: "s",
            description: "Time a proxied request spent in Switchboard outside waiting on the upstream",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets });
    }

    public void Record(TimeSpan overhead, bool streaming) =>
        _overhead.Record(overhead.TotalSeconds, new KeyValuePair<string, object?>("switchboard.streaming", streaming));
}
