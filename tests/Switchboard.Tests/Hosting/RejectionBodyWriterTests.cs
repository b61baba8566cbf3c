using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Switchboard.Hosting;

namespace Switchboard.Tests.Hosting;

/// <summary>
/// The connection output wrapper on byte-level inputs: Kestrel's bodiless rejection gets a body however its head is
/// split into writes; every other response passes byte for byte.
/// </summary>
public sealed class RejectionBodyWriterTests
{
    private const string Date = "Date: Tue, 01 Dec 2026 15:00:00 GMT\r\n";
    private const string Kestrel400 = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n" + Date + "\r\n";

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(9)]
    [InlineData(10)]
    [InlineData(17)]
    public async Task Kestrels_400_gets_an_error_body_and_a_request_id_however_it_is_split(int pieceSize)
    {
        var (output, rejections) = await RunAsync(w => Write(w, Kestrel400, pieceSize));

        var response = Parse(output);
        Assert.Equal("HTTP/1.1 400 Bad Request", response.StatusLine);
        Assert.Equal("close", response.Headers["Connection"]);
        Assert.Equal("Tue, 01 Dec 2026 15:00:00 GMT", response.Headers["Date"]);
        Assert.Equal("application/json", response.Headers["Content-Type"]);
        Assert.Equal("false", response.Headers["x-should-retry"]);
        Assert.Equal(Encoding.UTF8.GetByteCount(response.Body).ToString(System.Globalization.CultureInfo.InvariantCulture), response.Headers["Content-Length"]);
        string requestId = response.Headers["Request-Id"];
        Assert.StartsWith("req_", requestId, StringComparison.Ordinal);
        Assert.Equal(28, requestId.Length);

        using var body = JsonDocument.Parse(response.Body);
        Assert.Equal("error", body.RootElement.GetProperty("type").GetString());
        Assert.Equal("invalid_request_error", body.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains("Malformed HTTP request", body.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(requestId, body.RootElement.GetProperty("request_id").GetString());
        Assert.Equal([(requestId, 400)], rejections);
    }

    [Fact]
    public async Task An_unsupported_version_keeps_its_505_as_a_request_error()
    {
        string head = "HTTP/1.1 505 HTTP Version Not Supported\r\nContent-Length: 0\r\nConnection: close\r\n" + Date + "\r\n";
        var (output, _) = await RunAsync(w => Write(w, head, 7));

        var response = Parse(output);
        Assert.Equal("HTTP/1.1 505 HTTP Version Not Supported", response.StatusLine);
        using var body = JsonDocument.Parse(response.Body);
        Assert.Equal("invalid_request_error", body.RootElement.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_rejection_after_a_kept_alive_response_is_rewritten_and_the_response_before_it_is_not()
    {
        const string ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: application/json\r\n" + Date + "\r\n{}";
        var (output, rejections) = await RunAsync(async w =>
        {
            await Write(w, ok, 0);
            await Write(w, Kestrel400, 5);
        });

        Assert.StartsWith(ok + "HTTP/1.1 400 Bad Request\r\n", output, StringComparison.Ordinal);
        Assert.Contains("\r\nRequest-Id: req_", output, StringComparison.Ordinal);
        Assert.Single(rejections);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4)]
    public async Task A_200_with_a_body_passes_unchanged(int pieceSize)
    {
        const string ok = "HTTP/1.1 200 OK\r\nContent-Length: 27\r\nContent-Type: application/json\r\n" + Date + "\r\n{\"type\":\"message\",\"id\":\"x\"}";
        var (output, rejections) = await RunAsync(w => Write(w, ok, pieceSize));
        Assert.Equal(ok, output);
        Assert.Empty(rejections);
    }

    [Fact]
    public async Task An_sse_stream_flushed_per_event_passes_unchanged()
    {
        const string head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n" + Date + "\r\n";
        string[] events =
        [
            "1c\r\nevent: ping\ndata: {\"a\":1}\n\n\r\n",
            "HTTP/1.1 400 looks like a head but is body bytes mid-stream\r\n",
            "0\r\n\r\n",
        ];
        var (output, rejections) = await RunAsync(async w =>
        {
            await Write(w, head, 0);
            foreach (var e in events)
            {
                await Write(w, e, 0);
            }
        });

        Assert.Equal(head + string.Concat(events), output);
        Assert.Empty(rejections);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(11)]
    public async Task The_apps_own_error_with_a_body_passes_unchanged(int pieceSize)
    {
        const string head = "HTTP/1.1 404 Not Found\r\nContent-Length: 13\r\nContent-Type: application/json\r\n" + Date + "request-id: req_1\r\n\r\n";
        var (output, rejections) = await RunAsync(async w =>
        {
            // Kestrel commits the head and then the body, in one flush.
            await Write(w, head, pieceSize, flush: false);
            await Write(w, "{\"type\":\"x\"}\n", pieceSize);
        });

        Assert.Equal(head + "{\"type\":\"x\"}\n", output);
        Assert.Empty(rejections);
    }

    [Theory]
    [InlineData("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n" + Date + "\r\n")]
    [InlineData("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n" + Date + "\r\n")]
    [InlineData("HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n" + Date + "\r\n")]
    [InlineData("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\nConnection: close\r\n" + Date + "\r\n")]
    [InlineData("HTTP/1.1 100 Continue\r\n\r\n")]
    public async Task A_bodiless_head_that_is_not_a_rejection_passes_unchanged(string head)
    {
        var (output, rejections) = await RunAsync(w => Write(w, head, 3));
        Assert.Equal(head, output);
        Assert.Empty(rejections);
    }

    [Fact]
    public async Task A_head_flushed_before_it_is_complete_passes_unchanged()
    {
        var (output, rejections) = await RunAsync(async w =>
        {
            await Write(w, Kestrel400[..20], 0);
            await Write(w, Kestrel400[20..], 0);
        });

        Assert.Equal(Kestrel400, output);
        Assert.Empty(rejections);
    }

    [Fact]
    public async Task A_long_error_head_passes_unchanged()
    {
        string head = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\nx-filler: " + new string('a', 2000) + "\r\n\r\n";
        var (output, rejections) = await RunAsync(w => Write(w, head, 100));
        Assert.Equal(head, output);
        Assert.Empty(rejections);
    }

    /// <summary>Writes <paramref name="text"/> in pieces of <paramref name="pieceSize"/> bytes (0: one write), each through GetSpan and Advance.</summary>
    private static ValueTask<FlushResult> Write(PipeWriter writer, string text, int pieceSize, bool flush = true)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        int size = pieceSize == 0 ? bytes.Length : pieceSize;
        for (int at = 0; at < bytes.Length; at += size)
        {
            var piece = bytes.AsSpan(at, Math.Min(size, bytes.Length - at));
            if (at / size % 2 == 0)
            {
                piece.CopyTo(writer.GetSpan(piece.Length));
            }
            else
            {
                piece.CopyTo(writer.GetMemory(piece.Length).Span);
            }

            writer.Advance(piece.Length);
        }

        return flush ? writer.FlushAsync() : default;
    }

    private static async Task<(string Output, List<(string Id, int Status)> Rejections)> RunAsync(Func<PipeWriter, ValueTask<FlushResult>> write) =>
        await RunAsync(async w => { await write(w); });

    private static async Task<(string Output, List<(string Id, int Status)> Rejections)> RunAsync(Func<PipeWriter, Task> write)
    {
        var pipe = new Pipe();
        var rejections = new List<(string, int)>();
        var writer = new RejectionBodyWriter(pipe.Writer, (id, status) => rejections.Add((id, status)));
        await write(writer);
        await writer.CompleteAsync();

        var all = new ArrayBufferWriter<byte>();
        while (true)
        {
            var read = await pipe.Reader.ReadAsync();
            foreach (var segment in read.Buffer)
            {
                all.Write(segment.Span);
            }

            pipe.Reader.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted)
            {
                break;
            }
        }

        return (Encoding.UTF8.GetString(all.WrittenSpan), rejections);
    }

    private static (string StatusLine, Dictionary<string, string> Headers, string Body) Parse(string response)
    {
        int end = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(end > 0, "no end of head in: " + response);
        var lines = response[..end].Split("\r\n");
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(1))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            Assert.True(headers.TryAdd(line[..colon], line[(colon + 1)..].Trim()), "header twice: " + line);
        }

        return (lines[0], headers, response[(end + 4)..]);
    }
}
