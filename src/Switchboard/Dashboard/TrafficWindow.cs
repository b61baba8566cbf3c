using System.Text.Json;
using Switchboard.Pipeline;

namespace Switchboard.Dashboard;

/// <summary>
/// This process's recent traffic for the dashboard, fed by the settle stage: every request that reached a front door
/// (token counts left out, as in the ledger) lands in a 10-second slot of the last hour and a 5-minute slot of the last
/// day, and in its upstream target's 10-second slots of the last five minutes. Fixed memory (about 0.5 MB), one short
/// lock per request, no allocation on the request path. Restarting the process empties it; the ledger is the
/// durable record shared by every process.
/// </summary>
public sealed class TrafficWindow(TimeProvider time) : IRequestSettlement
{
    public const int HourSlotSeconds = 10;

    public const int DaySlotSeconds = 300;

    public const int TargetSlots = 30;

    /// <summary>Targets come from configuration; the bound only guards against a surprise.</summary>
    private const int MaxTargets = 256;

    private readonly Lock _gate = new();
    private readonly TrafficRing _hour = new(3600 / HourSlotSeconds, HourSlotSeconds);
    private readonly TrafficRing _day = new(86400 / DaySlotSeconds, DaySlotSeconds);
    private readonly Dictionary<string, TargetTraffic> _targets = new(StringComparer.Ordinal);

    public void Settle(RequestRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.FrontDoor is null || record.TokenCountOnly)
        {
            return;
        }

        var sample = TrafficSample.From(record);
        var now = time.GetUtcNow();
        var seconds = now.ToUnixTimeSeconds();
        lock (_gate)
        {
            _hour.Add(seconds, sample);
            _day.Add(seconds, sample);
            if (record.Target is { } target)
            {
                if (!_targets.TryGetValue(target, out var traffic) && _targets.Count < MaxTargets)
                {
                    traffic = new TargetTraffic(new TrafficRing(TargetSlots, HourSlotSeconds));
                    _targets[target] = traffic;
                }

                if (traffic is not null)
                {
                    traffic.Ring.Add(seconds, sample);
                    if (sample.FailureKind is { } kind)
                    {
                        traffic.LastFailure = (kind, now);
                    }
                }
            }
        }
    }

    /// <summary>
    /// The overview: totals and rates for the last minute and hour, and per-slot series for the hour (10 s) and the
    /// day (5 min). Rates are per second; error rate a fraction; latencies milliseconds (overhead microseconds).
    /// </summary>
    public void WriteOverview(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var now = time.GetUtcNow();
        var seconds = now.ToUnixTimeSeconds();
        lock (_gate)
        {
            writer.WriteStartObject();
            writer.WriteNumber("now", now.ToUnixTimeMilliseconds());
            writer.WriteStartObject("last_minute");
            WriteSummary(writer, _hour.Sum(seconds, 60 / HourSlotSeconds), 60);
            writer.WriteEndObject();
            writer.WriteStartObject("last_hour");
            WriteSummary(writer, _hour.Sum(seconds, _hour.Length), 3600);
            writer.WriteEndObject();
            writer.WriteStartObject("hour");
            WriteSeries(writer, _hour, seconds);
            writer.WriteEndObject();
            writer.WriteStartObject("day");
            WriteSeries(writer, _day, seconds);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
    }

    /// <summary>A target's last five minutes, or null when no request went to it in that time.</summary>
    public TargetSummary? Target(string name)
    {
        var seconds = time.GetUtcNow().ToUnixTimeSeconds();
        lock (_gate)
        {
            if (!_targets.TryGetValue(name, out var traffic))
            {
                return null;
            }

            var sum = traffic.Ring.Sum(seconds, TargetSlots);
            return new TargetSummary(
                sum.Requests, sum.Failures,
                LatencyBuckets.Percentile(sum.FirstToken, 0.5), LatencyBuckets.Percentile(sum.FirstToken, 0.95),
                LatencyBuckets.Percentile(sum.Duration, 0.5), LatencyBuckets.Percentile(sum.Duration, 0.95),
                traffic.LastFailure?.Kind, traffic.LastFailure?.At);
        }
    }

    private static void WriteSummary(Utf8JsonWriter writer, TrafficSlot sum, int seconds)
    {
        writer.WriteNumber("requests", sum.Requests);
        writer.WriteNumber("failures", sum.Failures);
        writer.WriteNumber("input_tokens", sum.InputTokens);
        writer.WriteNumber("cached_tokens", sum.CachedTokens);
        writer.WriteNumber("output_tokens", sum.OutputTokens);
        writer.WriteNumber("requests_per_s", Round(sum.Requests / (double)seconds));
        writer.WriteNumber("input_tokens_per_s", Round(sum.InputTokens / (double)seconds));
        writer.WriteNumber("cached_tokens_per_s", Round(sum.CachedTokens / (double)seconds));
        writer.WriteNumber("output_tokens_per_s", Round(sum.OutputTokens / (double)seconds));
        writer.WriteNumber("error_rate", sum.Requests == 0 ? 0 : Round(sum.Failures / (double)sum.Requests));
        Write(writer, "ttft_ms_p50", LatencyBuckets.Percentile(sum.FirstToken, 0.5));
        Write(writer, "ttft_ms_p95", LatencyBuckets.Percentile(sum.FirstToken, 0.95));
        Write(writer, "overhead_us_p50", LatencyBuckets.Percentile(sum.Overhead, 0.5));
        Write(writer, "overhead_us_p99", LatencyBuckets.Percentile(sum.Overhead, 0.99));
    }

    private static void WriteSeries(Utf8JsonWriter writer, TrafficRing ring, long seconds)
    {
        var last = seconds / ring.WidthSeconds;
        var first = last - ring.Length + 1;
        writer.WriteNumber("start", first * ring.WidthSeconds * 1000);
        writer.WriteNumber("step_s", ring.WidthSeconds);
        var width = (double)ring.WidthSeconds;
        WriteColumn(writer, "requests_per_s", ring, first, last, s => s.Requests / width);
        WriteColumn(writer, "input_tokens_per_s", ring, first, last, s => s.InputTokens / width);
        WriteColumn(writer, "cached_tokens_per_s", ring, first, last, s => s.CachedTokens / width);
        WriteColumn(writer, "output_tokens_per_s", ring, first, last, s => s.OutputTokens / width);
        WriteColumn(writer, "error_rate", ring, first, last, s => s.Requests == 0 ? 0 : s.Failures / (double)s.Requests);
        WriteColumn(writer, "ttft_ms_p50", ring, first, last, s => LatencyBuckets.Percentile(s.FirstToken, 0.5));
        WriteColumn(writer, "ttft_ms_p95", ring, first, last, s => LatencyBuckets.Percentile(s.FirstToken, 0.95));
        WriteColumn(writer, "overhead_us_p50", ring, first, last, s => LatencyBuckets.Percentile(s.Overhead, 0.5));
        WriteColumn(writer, "overhead_us_p99", ring, first, last, s => LatencyBuckets.Percentile(s.Overhead, 0.99));
    }

    /// <summary>One value per slot; an empty slot is 0 for rates and null for latencies (no line drawn there).</summary>
    private static void WriteColumn(Utf8JsonWriter writer, string name, TrafficRing ring, long first, long last, Func<TrafficSlot, double?> value)
    {
        writer.WriteStartArray(name);
        var empty = new TrafficSlot();
        for (var epoch = first; epoch <= last; epoch++)
        {
            if (value(ring.At(epoch) ?? empty) is { } number)
            {
                writer.WriteNumberValue(Round(number));
            }
            else
            {
                writer.WriteNullValue();
            }
        }

        writer.WriteEndArray();
    }

    private static void Write(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, Round(number));
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static double Round(double value) => Math.Round(value, 3);

    private sealed class TargetTraffic(TrafficRing ring)
    {
        public TrafficRing Ring { get; } = ring;

        public (string Kind, DateTimeOffset At)? LastFailure { get; set; }
    }
}

/// <summary>An upstream target's last five minutes as the dashboard shows it.</summary>
public sealed record TargetSummary(
    long Requests, long Failures, double? FirstTokenP50Ms, double? FirstTokenP95Ms, double? DurationP50Ms, double? DurationP95Ms,
    string? LastFailure, DateTimeOffset? LastFailureAt);
