using System.Diagnostics;
using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using Switchboard.Configuration;
using Switchboard.Egress;
using Switchboard.Pipeline;
using Switchboard.Routing;
using Switchboard.Telemetry;

namespace Switchboard.Benchmarks;

/// <summary>
/// What telemetry adds per request at settlement: the request metrics from the request record with nothing listening
/// (metrics off), with the OpenTelemetry SDK aggregating them for the Prometheus exporter and no scrape (metrics on,
/// no exporter attached), and the request span started, tagged from the record and stopped with a recording listener.
/// </summary>
[MemoryDiagnoser]
public class TelemetryBenchmarks : IDisposable
{
    private readonly RequestRecord _record = new()
    {
        RequestId = "req_0123456789abcdefghijklmn", FrontDoor = "anthropic", Model = "claude-sonnet-4-5", Target = "gpu", UpstreamModel = "qwen3-coder",
        KeyId = "key_1a2b3c4d", Status = 200, InputTokens = 17_000, CacheReadTokens = 1_200, OutputTokens = 300, TimeToFirstTokenMs = 180.5,
        DurationMs = 2_400.25, OverheadUs = 60, Admission = AdmitAll.NoLease.Instance,
    };

    private RequestMetrics _unobserved = null!;
    private RequestMetrics _observed = null!;
    private RequestSpanSettlement _spans = null!;
    private MeterProvider? _provider;
    private ActivityListener? _listener;
    private Meter[] _meters = [];

    [GlobalSetup]
    public void Setup()
    {
        var options = new SwitchboardOptions { Models = [new ModelOptions { Name = "qwen3-coder", Upstream = "gpu", Aliases = ["claude-*"] }] };
        options.Upstreams["gpu"] = new UpstreamOptions { BaseUrl = "http://127.0.0.1:9/v1" };
        var labels = new ModelLabels(new ModelCatalog(options, new UpstreamRegistry(options)));
        var quiet = new Factory("Switchboard.Bench.Unobserved");
        var watched = new Factory(OverheadMetrics.MeterName);
        _unobserved = new RequestMetrics(quiet, labels);
        _observed = new RequestMetrics(watched, labels);
        _meters = [.. quiet.Meters, .. watched.Meters];
        _provider = Sdk.CreateMeterProviderBuilder().AddMeter(OverheadMetrics.MeterName).AddPrometheusExporter().Build();
        _spans = new RequestSpanSettlement(labels);
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == SwitchboardTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    [Benchmark(Baseline = true)]
    public int MetricsOff()
    {
        _unobserved.Settle(_record);
        return _record.Status;
    }

    [Benchmark]
    public int MetricsOn()
    {
        _observed.Settle(_record);
        return _record.Status;
    }

    [Benchmark]
    public int RequestSpan()
    {
        using var span = SwitchboardTracing.Source.StartActivity(SwitchboardTracing.RequestSpan);
        _spans.Settle(_record);
        return _record.Status;
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _provider?.Dispose();
        _listener?.Dispose();
        foreach (var meter in _meters)
        {
            meter.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    private sealed class Factory(string name) : IMeterFactory
    {
        public List<Meter> Meters { get; } = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(name, options.Version);
            Meters.Add(meter);
            return meter;
        }

        public void Dispose()
        {
        }
    }
}
