using System.Net.Sockets;
using System.Text;

namespace Switchboard.EndToEnd.Hostile;

/// <summary>
/// HTTP/1.1 over a bare socket, for what <see cref="HttpClient"/> will not send: broken chunked framing, a body that
/// stops arriving, odd request lines. Reads one response (Content-Length, chunked or until close).
/// </summary>
internal static class RawHttp
{
    /// <summary>Sends <paramref name="head"/> and <paramref name="body"/>, keeps the connection open, reads the response.</summary>
    public static async Task<Exchange> SendAsync(string baseUrl, string head, byte[] body, string what, TimeSpan timeout, string path = "")
    {
        var uri = new Uri(baseUrl);
        using var client = new TcpClient();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await client.ConnectAsync(uri.Host, uri.Port, cts.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head), cts.Token);
            await stream.WriteAsync(body, cts.Token);
            await stream.FlushAsync(cts.Token);
            return await ReadResponseAsync(stream, path, what, cts.Token);
        }
        catch (OperationCanceledException)
        {
            return new Exchange(path, 0, [], $"no response within {timeout.TotalSeconds:0} s", what);
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            return new Exchange(path, 0, [], "connection failed: " + e.Message, what);
        }
    }

    public static string Head(string requestLine, string host, params string[] headers) =>
        requestLine + "\r\nHost: " + host + "\r\n" + string.Concat(headers.Select(h => h + "\r\n")) + "\r\n";

    private static async Task<Exchange> ReadResponseAsync(NetworkStream stream, string path, string what, CancellationToken ct)
    {
        var buffer = new List<byte>();
        var chunk = new byte[8192];
        int headerEnd;
        while ((headerEnd = IndexOf(buffer, "\r\n\r\n"u8.ToArray())) < 0)
        {
            int n = await stream.ReadAsync(chunk, ct);
            if (n == 0)
            {
                return new Exchange(path, 0, [], "connection closed before a response" + (buffer.Count > 0 ? ": " + Encoding.ASCII.GetString([.. buffer]) : ""), what);
            }

            buffer.AddRange(chunk.AsSpan(0, n).ToArray());
        }

        var lines = Encoding.ASCII.GetString([.. buffer.Take(headerEnd)]).Split("\r\n");
        int status = int.Parse(lines[0].Split(' ')[1]);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            int colon = line.IndexOf(':');
            headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
        }

        var rest = buffer.Skip(headerEnd + 4).ToList();
        async Task<bool> More()
        {
            int n = await stream.ReadAsync(chunk, ct);
            rest.AddRange(chunk.AsSpan(0, n).ToArray());
            return n > 0;
        }

        byte[] body;
        if (headers.TryGetValue("content-length", out var length))
        {
            int want = int.Parse(length);
            while (rest.Count < want && await More())
            {
            }

            body = [.. rest.Take(want)];
        }
        else if (headers.TryGetValue("transfer-encoding", out var te) && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            var decoded = new List<byte>();
            int at = 0;
            while (true)
            {
                int lineEnd;
                while ((lineEnd = IndexOf(rest, "\r\n"u8.ToArray(), at)) < 0 && await More())
                {
                }

                if (lineEnd < 0)
                {
                    break;
                }

                int size = Convert.ToInt32(Encoding.ASCII.GetString([.. rest.Skip(at).Take(lineEnd - at)]).Split(';')[0], 16);
                if (size == 0)
                {
                    break;
                }

                while (rest.Count < lineEnd + 2 + size + 2 && await More())
                {
                }

                decoded.AddRange(rest.Skip(lineEnd + 2).Take(size));
                at = lineEnd + 2 + size + 2;
            }

            body = [.. decoded];
        }
        else
        {
            body = [.. rest];
        }

        return new Exchange(path, status, headers, Encoding.UTF8.GetString(body), what);
    }

    private static int IndexOf(List<byte> haystack, byte[] needle, int from = 0)
    {
        for (int i = from; i <= haystack.Count - needle.Length; i++)
        {
            bool match = true;
            for (int j = 0; j < needle.Length && match; j++)
            {
                match = haystack[i + j] == needle[j];
            }

            if (match)
            {
                return i;
            }
        }

        return -1;
    }
}
