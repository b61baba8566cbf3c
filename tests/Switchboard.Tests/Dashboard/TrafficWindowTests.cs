using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Canonical;
using Switchboard.Dashboard;
using Switchboard.Pipeline;

namespace Switchboard.Tests.Dashboard;

public sealed class TrafficWindowTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 5, TimeSpan.Zero));

    private static RequestRecord Record(int status = 200, double? ttft = 100, long overheadUs = 50, int input = 10, int cached = 0, int output = 5,
        string? door = "anthropic", string? target = "default", ApiErrorKind? error = null) => new()
    {
        FrontDoor = door,
        Target = target,
        Status = status,
        InputTokens = input,
        CacheReadTokens = cached,
        OutputTokens = output,
        TimeToFirstTokenMs = ttft,
        OverheadUs = overheadUs,
        DurationMs = 250,
        ErrorKind = error,
    };

    private JsonElement Overview(TrafficWindow window)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            window.WriteOverview(writer);
        }

        return JsonDocument.Parse(buffer.ToArray()).RootElement.Clone();
    }

    [Fact]
    public void Requests_tokens_failures_and_latency_percentiles_are_summed_over_the_last_minute_and_hour()
    {
        var window = new TrafficWindow(_time);
        for (var i = 1; i <= 100; i++)
        {
            window.Settle(Record(ttft: i, overheadUs: i * 10, cached: 2));
        }

        window.Settle(Record(status: 429, ttft: null, input: 0, output: 0, error: ApiErrorKind.RateLimit));
        window.Settle(Record(status: 200, error: ApiErrorKind.Overloaded));
        window.Settle(Record(status: 499));

        var minute = Overview(window).GetProperty("last_minute");
        Assert.Equal(103, minute.GetProperty("requests").GetInt64());
        Assert.Equal(2, minute.GetProperty("failures").GetInt64());
        Assert.Equal(1020, minute.GetProperty("input_tokens").GetInt64());
        Assert.Equal(200, minute.GetProperty("cached_tokens").GetInt64());
        Assert.Equal(510, minute.GetProperty("output_tokens").GetInt64());
        Assert.Equal(Math.Round(103 / 60.0, 3), minute.GetProperty("requests_per_s").GetDouble());
        Assert.Equal(Math.Round(2 / 103.0, 3), minute.GetProperty("error_rate").GetDouble());

        // Log buckets 25 % wide: within 12 % of the true percentile.
        Assert.InRange(minute.GetProperty("ttft_ms_p50").GetDouble(), 50 * 0.88, 52 * 1.12);
        Assert.InRange(minute.GetProperty("ttft_ms_p95").GetDouble(), 94 * 0.88, 100 * 1.12);
        Assert.InRange(minute.GetProperty("overhead_us_p99").GetDouble(), 990 * 0.88, 1000 * 1.12);
    }

    [Fact]
    public void Token_counts_and_requests_that_reached_no_door_are_left_out()
    {
        var window = new TrafficWindow(_time);
        window.Settle(Record(door: null));
        window.Settle(new RequestRecord { FrontDoor = "anthropic", TokenCountOnly = true, Status = 200 });

        Assert.Equal(0, Overview(window).GetProperty("last_hour").GetProperty("requests").GetInt64());
    }

    [Fact]
    public void Slots_roll_out_of_the_minute_the_hour_and_the_day()
    {
        var window = new TrafficWindow(_time);
        window.Settle(Record());
        _time.Advance(TimeSpan.FromMinutes(2));
        window.Settle(Record());

        var overview = Overview(window);
        Assert.Equal((1, 2), (overview.GetProperty("last_minute").GetProperty("requests").GetInt64(), overview.GetProperty("last_hour").GetProperty("requests").GetInt64()));
        var hour = overview.GetProperty("hour");
        Assert.Equal(360, hour.GetProperty("requests_per_s").GetArrayLength());
        Assert.Equal(2 / 10.0, hour.GetProperty("requests_per_s").EnumerateArray().Sum(v => v.GetDouble()), 6);
        Assert.Equal(JsonValueKind.Null, hour.GetProperty("ttft_ms_p50")[0].ValueKind);
        Assert.Equal(288, overview.GetProperty("day").GetProperty("requests_per_s").GetArrayLength());

        _time.Advance(TimeSpan.FromMinutes(61));
        overview = Overview(window);
        Assert.Equal(0, overview.GetProperty("last_hour").GetProperty("requests").GetInt64());
        Assert.Equal(2 / 300.0, overview.GetProperty("day").GetProperty("requests_per_s").EnumerateArray().Sum(v => v.GetDouble()), 3);

        _time.Advance(TimeSpan.FromHours(24));
        Assert.Equal(0, Overview(window).GetProperty("day").GetProperty("requests_per_s").EnumerateArray().Sum(v => v.GetDouble()));
    }

    [Fact]
    public void Settling_a_served_request_allocates_nothing()
    {
        var window = new TrafficWindow(_time);
        var record = Record();
        window.Settle(record);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            window.Settle(record);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Each_target_keeps_its_last_five_minutes_and_last_failure()
    {
        var window = new TrafficWindow(_time);
        window.Settle(Record(target: "gpu-a"));
        window.Settle(Record(target: "gpu-a", status: 502, error: ApiErrorKind.BadGateway));
        window.Settle(Record(target: "gpu-b"));

        var a = window.Target("gpu-a")!;
        Assert.Equal((2, 1, "BadGateway"), (a.Requests, a.Failures, a.LastFailure));
        Assert.Equal(_time.GetUtcNow(), a.LastFailureAt);
        Assert.InRange(a.DurationP50Ms!.Value, 250 * 0.88, 250 * 1.12);
        Assert.Equal(1, window.Target("gpu-b")!.Requests);
        Assert.Null(window.Target("gpu-c"));

        _time.Advance(TimeSpan.FromMinutes(6));
        var later = window.Target("gpu-a")!;
        Assert.Equal((0, 0, "BadGateway"), (later.Requests, later.Failures, later.LastFailure));
    }
}
