using System.IO.Pipelines;
using System.Text;
using BenchmarkDotNet.Attributes;
using Switchboard.Hosting;

namespace Switchboard.Benchmarks;

/// <summary>
/// The cost of <c>RejectionBodyWriter</c> on a connection's output: a 300-event SSE stream flushed per event and a
/// 2 KiB JSON response, written to a pipe directly (<c>Wrapped = false</c>) and through the wrapper; and, for scale,
/// the rare path that gives Kestrel's 400 its body.
/// </summary>
[MemoryDiagnoser]
public class ConnectionOutputBenchmarks
{
    private static readonly byte[] SseHead = Encoding.ASCII.GetBytes(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nDate: Tue, 01 Dec 2026 15:00:00 GMT\r\nTransfer-Encoding: chunked\r\nrequest-id: req_0123456789abcdefghijklmn\r\n\r\n");

    private static readonly byte[] SseEvent = Encoding.ASCII.GetBytes(
        "6f\r\nevent: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\" token\"}}\n\n\r\n");

    private static readonly byte[] JsonResponse = Encoding.ASCII.GetBytes(
        "HTTP/1.1 200 OK\r\nContent-Length: 2048\r\nContent-Type: application/json\r\nDate: Tue, 01 Dec 2026 15:00:00 GMT\r\nrequest-id: req_0123456789abcdefghijklmn\r\n\r\n"
        + new string('x', 2048));

    private static readonly byte[] Kestrel400 = Encoding.ASCII.GetBytes(
        "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\nDate: Tue, 01 Dec 2026 15:00:00 GMT\r\n\r\n");

    private readonly Pipe _pipe = new();
    private PipeWriter _writer = null!;

    [Params(false, true)]
    public bool Wrapped { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _writer = Wrapped ? new RejectionBodyWriter(_pipe.Writer) : _pipe.Writer;
    }

    [Benchmark]
    public async Task<long> SseStream300Events()
    {
        long total = await WriteAsync(SseHead);
        for (int i = 0; i < 300; i++)
        {
            total += await WriteAsync(SseEvent);
        }

        return total;
    }

    [Benchmark]
    public Task<long> JsonResponse2KiB() => WriteAsync(JsonResponse);

    [Benchmark]
    public Task<long> KestrelRejection() => WriteAsync(Kestrel400);

    private async Task<long> WriteAsync(byte[] bytes)
    {
        bytes.CopyTo(_writer.GetSpan(bytes.Length));
        _writer.Advance(bytes.Length);
        await _writer.FlushAsync();
        var read = await _pipe.Reader.ReadAsync();
        long length = read.Buffer.Length;
        _pipe.Reader.AdvanceTo(read.Buffer.End);
        return length;
    }
}
