using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.FakeUpstream;
using Switchboard.Hosting;
using Switchboard.Telemetry;

namespace Switchboard.EndToEnd;

/// <summary>
/// Switchboard's own overhead (request time minus time waiting on the upstream) in the optional header, the log
/// line and the <c>switchboard.overhead</c> metric. The upstream is made slow on purpose: a figure that did not
/// subtract the wait would be at least that slow.
/// </summary>
[Collection(TimingSensitive.Name)]
public sealed class OverheadTests
{
    private const int UpstreamDelayMs = 400;

    [Fact]
    public async Task The_header_reports_time_outside_the_upstream_wait_for_a_non_streamed_answer()
    {
        await using var host = await SwitchboardHost.StartAsync(args: ["--Switchboard:Diagnostics:OverheadHeader=true"]);
        using (await host.Http.SendAsync(RawRequests.Post("/v1/messages", RawRequests.SimpleBody)))
        {
            // Warm-up: the first request pays for JIT compilation, which is overhead but not the point here.
        }

        host.Upstream.Enqueue(new ScriptedReply { Content = "Slow but fine.", HeaderDelayMs = UpstreamDelayMs });
        var started = TimeProvider.System.GetTimestamp();
        using var response = await host.Http.SendAsync(RawRequests.Post("/v1/messages", RawRequests.SimpleBody));
        var elapsed = TimeProvider.System.GetElapsedTime(started);

        Assert.Equal(200, (int)response.StatusCode);
        var overheadUs = long.Parse(response.Headers.GetValues(RequestLogMiddleware.OverheadHeader).Single(), CultureInfo.InvariantCulture);
        // A few milliseconds of slack: the fake's timer and this stopwatch do not tick together (399.9 ms was seen).
        Assert.True(elapsed >= TimeSpan.FromMilliseconds(UpstreamDelayMs - 5), $"the upstream delay did not happen ({elapsed})");
        Assert.InRange(overheadUs, 1, UpstreamDelayMs * 1000 / 2);
    }

    [Fact]
    public async Task No_header_unless_enabled_and_none_on_streams()
    {
        await using var plain = await SwitchboardHost.StartAsync();
        using var unasked = await plain.Http.SendAsync(RawRequests.Post("/v1/messages", RawRequests.SimpleBody));
        Assert.Equal(200, (int)unasked.StatusCode);
        Assert.False(unasked.Headers.Contains(RequestLogMiddleware.OverheadHeader));

        await using var enabled = await SwitchboardHost.StartAsync(args: ["--Switchboard:Diagnostics:OverheadHeader=true"]);
        using var stream = await enabled.Http.SendAsync(RawRequests.Post("/v1/messages", RawRequests.StreamingBody));
        await stream.Content.ReadAsStringAsync();
        Assert.Equal("text/event-stream", stream.Content.Headers.ContentType?.MediaType);
        Assert.False(stream.Headers.Contains(RequestLogMiddleware.OverheadHeader));
    }

    [Fact]
    public async Task A_slow_stream_logs_and_measures_overhead_without_its_upstream_wait()
    {
        var logs = new CapturedLogs();
        await using var host = await SwitchboardHost.StartAsync(
            args: ["--Logging:LogLevel:Switchboard=Information"],
            configure: builder => builder.Services.AddSingleton<ILoggerProvider>(logs));
        var measurements = new List<(double Seconds, bool Streaming)>();
        using var listener = Listen(host, measurements);
        using (await host.Http.SendAsync(RawRequests.Post("/v1/messages", RawRequests.SimpleBody)))
        {
        }

        host.Upstream.Enqueue(new ScriptedReply { Content = "one two three four", ChunkSize = 4, ChunkDelayMs = UpstreamDelayMs / 4 });
        using var response = await host.Http.SendAsync(RawRequests.Post("/v1/messages", RawRequests.StreamingBody));
        await response.Content.ReadAsStringAsync();
        var requestId = response.Headers.GetValues("request-id").Single();

        var line = Assert.Single(logs.Lines, l => l.Message.Contains(requestId, StringComparison.Ordinal)).Message;
        var total = double.Parse(LogLine.Field(line, "total_ms"), CultureInfo.InvariantCulture);
        var overheadUs = long.Parse(LogLine.Field(line, "overhead_us"), CultureInfo.InvariantCulture);
        Assert.True(total >= UpstreamDelayMs * 3 / 4, $"the stream was not slow ({total} ms)");
        Assert.InRange(overheadUs, 1, (long)(total * 1000 / 2));

        lock (measurements)
        {
            Assert.Equal(2, measurements.Count);
            Assert.False(measurements[0].Streaming);
            var (seconds, streaming) = measurements[1];
            Assert.True(streaming);
            Assert.Equal(overheadUs / 1e6, seconds, 0.0005);
        }
    }

    /// <summary>Collects this host's <c>switchboard.overhead</c> measurements (other hosts run in parallel).</summary>
    private static MeterListener Listen(SwitchboardHost host, List<(double, bool)> measurements)
    {
        var factory = host.App.Services.GetRequiredService<IMeterFactory>();
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == factory && instrument.Name == OverheadMetrics.InstrumentName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            var streaming = false;
            foreach (var tag in tags)
            {
                streaming |= tag.Key == "switchboard.streaming" && tag.Value is true;
            }

            lock (measurements)
            {
                measurements.Add((value, streaming));
            }
        });
        listener.Start();
        return listener;
    }
}
