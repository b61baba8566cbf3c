using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Switchboard.Canonical;
using Switchboard.Ingress;
using Switchboard.Ingress.Anthropic;

namespace Switchboard.Hosting;

/// <summary>
/// Recognises the response Kestrel writes itself when it rejects a request before the application runs, and turns
/// it into a proper error. Kestrel's rejection (<c>HttpProtocol.SetErrorResponseHeaders</c> and
/// <c>Http1OutputProducer.WriteResponseHeaders</c>) is always <c>HTTP/1.1 4xx|5xx Reason</c>, a <c>Date</c>,
/// <c>Content-Length: 0</c> and, because the connection cannot continue, <c>Connection: close</c>, then nothing.
/// Switchboard's own error responses always carry a body, so a headers-only 4xx/5xx with those two headers is
/// Kestrel's.
/// </summary>
public static class KestrelRejection
{
    /// <summary>Kestrel writes <c>HTTP/1.1 </c> whatever the request's version; the status digit follows.</summary>
    public const int PrefixLength = 10;

    /// <summary>Longest rejection head considered; Kestrel's is about 100 bytes.</summary>
    public const int MaxHeadLength = 1024;


    private static ReadOnlySpan<byte> Version => "HTTP/1.1 "u8;

    private static ReadOnlySpan<byte> EndOfHead => "\r\n\r\n"u8;

    private static ReadOnlySpan<byte> Crlf => "\r\n"u8;

    /// <summary>
    /// Whether bytes that start a response may be the start of a rejection: as many of them as there are agree with
    /// <c>HTTP/1.1 4</c> or <c>HTTP/1.1 5</c>. The only check a normal response meets, usually at its first byte.
    /// </summary>
    public static bool MayStart(ReadOnlySpan<byte> start)
    {
        int n = Math.Min(start.Length, Version.Length);
        if (!start[..n].SequenceEqual(Version[..n]))
        {
            return false;
        }

        return start.Length < PrefixLength || start[Version.Length] is (byte)'4' or (byte)'5';
    }

    /// <summary>Where the head ends (just past its blank line) in <paramref name="response"/>, or -1 while it has not.</summary>
    public static int HeadLength(ReadOnlySpan<byte> response)
    {
        int at = response.IndexOf(EndOfHead);
        return at < 0 ? -1 : at + EndOfHead.Length;
    }

    /// <summary>
    /// The status of <paramref name="response"/> when it is exactly a rejection's head (no body, <c>Content-Length: 0</c>,
    /// <c>Connection: close</c>, no <c>Transfer-Encoding</c>); otherwise null.
    /// </summary>
    public static int? StatusOf(ReadOnlySpan<byte> response)
    {
        if (response.Length < PrefixLength || !MayStart(response) || HeadLength(response) != response.Length)
        {
            return null;
        }

        var statusDigits = response.Slice(Version.Length, 3);
        if (!int.TryParse(statusDigits, NumberStyles.None, CultureInfo.InvariantCulture, out int status) || status is < 400 or > 599)
        {
            return null;
        }

        bool emptyLength = false;
        bool closes = false;
        foreach (var (name, value) in Headers(response))
        {
            if (Is(name, "Content-Length"u8))
            {
                emptyLength = value.SequenceEqual("0"u8);
                if (!emptyLength)
                {
                    return null;
                }
            }
            else if (Is(name, "Connection"u8))
            {
                closes = Ascii.EqualsIgnoreCase(value, "close"u8);
            }
            else if (Is(name, "Transfer-Encoding"u8))
            {
                return null;
            }
        }

        return emptyLength && closes ? status : null;
    }

    /// <summary>
    /// The rejection <paramref name="head"/> (one <see cref="StatusOf"/> accepts) with an error body in the default
    /// (Anthropic) dialect: same status line and headers, the length of the body, its type, <c>x-should-retry</c> and
    /// <c>request-id</c>.
    /// </summary>
    public static byte[] WithBody(ReadOnlySpan<byte> head, int status, string requestId)
    {
        var error = ErrorFor(status);
        var body = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(body, ClientJson.Writer))
        {
            AnthropicErrors.WriteBody(json, error, requestId);
        }

        var output = new ArrayBufferWriter<byte>(head.Length + body.WrittenCount + 128);
        int statusLineEnd = head.IndexOf(Crlf) + Crlf.Length;
        output.Write(head[..statusLineEnd]);
        foreach (var (name, value) in Headers(head))
        {
            output.Write(name);
            output.Write(": "u8);
            output.Write(Is(name, "Content-Length"u8) ? Encoding.ASCII.GetBytes(body.WrittenCount.ToString(CultureInfo.InvariantCulture)) : value);
            output.Write(Crlf);
        }

        output.Write("Content-Type: application/json\r\nx-should-retry: "u8);
        output.Write(error.ShouldRetry ? "true"u8 : "false"u8);
        output.Write("\r\nRequest-Id: "u8);
        output.Write(Encoding.ASCII.GetBytes(requestId));
        output.Write(EndOfHead);
        output.Write(body.WrittenSpan);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>
    /// What went wrong, as far as the status tells: Kestrel's reason stays in its own log (the exact parse failure is
    /// of no use to a client and can echo request bytes). A 505 is the client's doing, so its kind is a request error.
    /// </summary>
    public static ApiError ErrorFor(int status) => status switch
    {
        400 => new ApiError(ApiErrorKind.InvalidRequest, "Malformed HTTP request: the request line, a header or the message framing is invalid"),
        505 => new ApiError(ApiErrorKind.InvalidRequest, "HTTP version not supported: send HTTP/1.1"),
        414 => new ApiError(ApiErrorKind.UriTooLong, "The request line is too long"),
        431 => new ApiError(ApiErrorKind.HeadersTooLarge, "The request headers are too large"),
        413 => new ApiError(ApiErrorKind.RequestTooLarge, "Request exceeds the maximum size"),
        408 => new ApiError(ApiErrorKind.RequestTimeout, "The request did not arrive in time"),
        _ => new ApiError(ApiErrorKinds.FromStatus(status), $"The request was rejected by the HTTP server ({status.ToString(CultureInfo.InvariantCulture)})"),
    };

    private static bool Is(ReadOnlySpan<byte> name, ReadOnlySpan<byte> expected) => Ascii.EqualsIgnoreCase(name, expected);

    /// <summary>The header lines of a complete head, as name and trimmed value.</summary>
    private static List<(byte[] Name, byte[] Value)> Headers(ReadOnlySpan<byte> head)
    {
        var headers = new List<(byte[], byte[])>(4);
        var rest = head[(head.IndexOf(Crlf) + Crlf.Length)..];
        while (true)
        {
            int end = rest.IndexOf(Crlf);
            if (end <= 0)
            {
                return headers;
            }

            var line = rest[..end];
            rest = rest[(end + Crlf.Length)..];
            int colon = line.IndexOf((byte)':');
            if (colon > 0)
            {
                headers.Add((line[..colon].ToArray(), line[(colon + 1)..].Trim((byte)' ').ToArray()));
            }
        }
    }
}
