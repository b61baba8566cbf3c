using System.Net.Sockets;
using System.Text;

namespace Switchboard.EndToEnd.Fixtures;

/// <summary>Sends bytes no HTTP client would (broken framing, oversized lines, stalls) and reads the raw answer.</summary>
internal static class RawHttp
{
    /// <summary>Writes <paramref name="head"/>, then each of <paramref name="parts"/>, then reads until the server closes or <paramref name="readFor"/> passes.</summary>
    public static async Task<RawResponse> SendAsync(string baseUrl, string head, IEnumerable<string>? parts = null, TimeSpan? readFor = null)
    {
        var uri = new Uri(baseUrl);
        using var client = new TcpClient();
        await client.ConnectAsync(uri.Host, uri.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        foreach (var part in parts ?? [])
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(part));
        }

        await stream.FlushAsync();
        using var timeout = new CancellationTokenSource(readFor ?? TimeSpan.FromSeconds(20));
        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await stream.ReadAsync(buffer, timeout.Token);
                if (read == 0)
                {
                    break;
                }

                received.Write(buffer, 0, read);
                if (RawResponse.TryParse(received.ToArray(), out _))
                {
                    break;
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException)
        {
        }

        return RawResponse.TryParse(received.ToArray(), out var response)
            ? response
            : throw new InvalidOperationException("No complete response: " + Encoding.ASCII.GetString(received.ToArray()));
    }
}

internal sealed record RawResponse(int Status, Dictionary<string, string> Headers, string Body)
{
    /// <summary>A response is complete once its head and a <c>content-length</c> body (or a chunked body's end) arrived.</summary>
    public static bool TryParse(byte[] bytes, out RawResponse response)
    {
        response = null!;
        var text = Encoding.UTF8.GetString(bytes);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            return false;
        }

        var lines = text[..end].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim().ToLowerInvariant(), p => p[1].Trim());
        var body = text[(end + 4)..];
        if (headers.TryGetValue("content-length", out var length))
        {
            if (Encoding.UTF8.GetByteCount(body) < int.Parse(length, System.Globalization.CultureInfo.InvariantCulture))
            {
                return false;
            }
        }
        else if (headers.TryGetValue("transfer-encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            if (!body.Contains("\r\n0\r\n\r\n", StringComparison.Ordinal) && !body.StartsWith("0\r\n\r\n", StringComparison.Ordinal))
            {
                return false;
            }

            body = Unchunk(body);
        }

        response = new RawResponse(status, headers, body);
        return true;
    }

    private static string Unchunk(string body)
    {
        var result = new StringBuilder();
        var at = 0;
        while (true)
        {
            var lineEnd = body.IndexOf("\r\n", at, StringComparison.Ordinal);
            var size = Convert.ToInt32(body[at..lineEnd].Split(';')[0], 16);
            if (size == 0)
            {
                return result.ToString();
            }

            result.Append(body, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
    }
}
