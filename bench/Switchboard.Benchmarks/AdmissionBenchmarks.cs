using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Canonical;
using Switchboard.Configuration;
using Switchboard.Egress;
using Switchboard.Ingress;
using Switchboard.Ingress.Anthropic;
using Switchboard.Pipeline;
using Switchboard.Routing;
using Switchboard.Tenancy;
using Switchboard.Tenancy.Limits;

namespace Switchboard.Benchmarks;

/// <summary>
/// What the admit and settle stages add per request: admission, the output charged as a stream flushes (three
/// flushes), the lease's completion and, for a limited key, writing Anthropic's rate-limit headers on a real
/// ASP.NET Core response — against the no-op path a request without a stored key takes. In-process counters.
/// </summary>
[MemoryDiagnoser]
public class AdmissionBenchmarks
{
    private static readonly ApiKeyRecord LimitedKey = new()
    {
        Id = "bench0000001",
        Name = "bench",
        SecretHash = "00",

        // Limits far above what a benchmark spends, so every admission is admitted and charged.
        Limits = new KeyLimits(int.MaxValue, long.MaxValue / 4, long.MaxValue / 4, 1_000_000),
        CreatedAt = DateTimeOffset.UnixEpoch,
    };

    private readonly RequestRecord _settled = new() { InputTokens = 17_000, CacheReadTokens = 1_200, OutputTokens = 300 };
    private KeyLimitsAdmission _admission = null!;
    private ModelRoute _route = null!;
    private MessageRequest _small = null!;
    private MessageRequest _claudeCode = null!;
    private JsonDocument _smallJson = null!;
    private JsonDocument _claudeCodeJson = null!;
    private KeyCaller _staticCaller = null!;
    private KeyCaller _limitedCaller = null!;
    private HttpResponseChannel _channel = null!;

    [GlobalSetup]
    public void Setup()
    {
        var meters = new BenchMeterFactory();
        var counters = new LimitCounters(new LocalLimitCounters(TimeProvider.System), new SwitchboardOptions(), new LimitMetrics(meters), NullLogger<LimitCounters>.Instance);
        _admission = new KeyLimitsAdmission(counters, [], new LimitMetrics(meters), TimeProvider.System);
        var model = new ModelOptions { Name = "qwen3-coder", Aliases = ["*"] };
        _route = new ModelRoute("claude-sonnet-4-5", model, new UpstreamEndpoint("gpu", new UpstreamOptions { BaseUrl = "http://127.0.0.1:9/v1" }, new HttpClient()), "qwen3-coder");
        _smallJson = JsonDocument.Parse(Fixtures.SmallRequest);
        _claudeCodeJson = JsonDocument.Parse(Fixtures.ClaudeCodeRequest, new JsonDocumentOptions { MaxDepth = 256 });
        _small = MessagesRequestReader.Read(_smallJson.RootElement, new RequestReadNotes());
        _claudeCode = MessagesRequestReader.Read(_claudeCodeJson.RootElement, new RequestReadNotes());
        _staticCaller = new KeyCaller("key_1a2b3c4d", null);
        _limitedCaller = new KeyCaller(LimitedKey.Id, LimitedKey);
        _channel = new HttpResponseChannel(new DefaultHttpContext());
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _smallJson.Dispose();
        _claudeCodeJson.Dispose();
    }

    [Benchmark(Baseline = true)]
    public int StaticKey() => Run(_small, _staticCaller, headers: false);

    [Benchmark]
    public int LimitedKey_SmallRequest() => Run(_small, _limitedCaller, headers: true);

    [Benchmark]
    public int LimitedKey_SmallRequest_NoHeaders() => Run(_small, _limitedCaller, headers: false);

    [Benchmark]
    public int LimitedKey_ClaudeCodeRequest() => Run(_claudeCode, _limitedCaller, headers: true);

    private int Run(MessageRequest request, KeyCaller caller, bool headers)
    {
        var record = new RequestRecord { RequestId = "req_bench", Caller = caller };
        var lease = _admission.AdmitAsync(request, _route, record, CancellationToken.None).GetAwaiter().GetResult();
        if (headers && record.RateLimits is { } status)
        {
            AnthropicRateLimitHeaders.Add(_channel, status);
        }

        lease.OnOutputTokens(100);
        lease.OnOutputTokens(200);
        lease.OnOutputTokens(300);
        lease.Complete(_settled);
        return record.RateLimits is null ? 0 : 1;
    }

    private sealed class BenchMeterFactory : System.Diagnostics.Metrics.IMeterFactory
    {
        public System.Diagnostics.Metrics.Meter Create(System.Diagnostics.Metrics.MeterOptions options) => new(options);

        public void Dispose()
        {
        }
    }
}
