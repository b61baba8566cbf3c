using System.Globalization;
using BenchmarkDotNet.Attributes;
using Switchboard.Hosting;
using Switchboard.Pipeline;

namespace Switchboard.Benchmarks;

/// <summary>
/// The request log line's text, as the console logger asks for it once per request: <c>TwoPass</c> is how it was
/// built before (the <c>key=value</c> fields as one string, then the whole line around it), <c>OnePass</c> how it is
/// built now (<see cref="RequestLogFields.Line"/>: one string, written in one pass on a stack buffer). Both in one run.
/// </summary>
[MemoryDiagnoser]
public class RequestLogBenchmarks
{
    private const string RequestId = "req_0123456789abcdefghijklmn";
    private const string Method = "POST";
    private const string Path = "/v1/messages";

    private readonly RequestRecord _record = new()
    {
        RequestId = RequestId, FrontDoor = "anthropic", Model = "claude-sonnet-4-5", Target = "gpu", UpstreamModel = "qwen3-coder",
        KeyId = "1a2b3c4d5e6f", Status = 200, InputTokens = 17_000, CacheReadTokens = 1_200, OutputTokens = 300, TimeToFirstTokenMs = 180.5,
        DurationMs = 2_400.25, OverheadUs = 60,
    };

    [Benchmark(Baseline = true)]
    public int TwoPass() =>
        string.Create(CultureInfo.InvariantCulture, $"{RequestId} {Method} {Path} {_record.Status}{RequestLogFields.Format(_record)}").Length;

    [Benchmark]
    public int OnePass() => new RequestLogEntry(RequestId, Method, Path, _record, null).ToString().Length;
}
