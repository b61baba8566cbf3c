using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Switchboard.Buffers;
using Switchboard.Canonical;

namespace Switchboard.Ingress;

/// <summary>
/// Reads a request body as JSON, turning oversize, malformed and mis-encoded bodies into errors (each door words them in its dialect). The one
/// place request text is checked: past it every string in the document decodes (see <see cref="RequestText"/>).
/// </summary>
internal static partial class RequestBody
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 256 };

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    public static async Task<RequestDocument> ReadJsonAsync(HttpContext context)
    {
        var bytes = await ReadTextAsync(context).ConfigureAwait(false);
        try
        {
            if (bytes.ReplacedSurrogates > 0)
            {
                LogSurrogates(
                    context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RequestBody)),
                    context.TraceIdentifier,
                    bytes.ReplacedSurrogates);
            }

            if (!bytes.IsLarge)
            {
                return new RequestDocument(Parse(bytes.Json), bytes);
            }

            var root = ParseLarge(bytes.Json.Span);
            bytes.ReleaseBuffer();
            return new RequestDocument(root, bytes);
        }
        catch
        {
            bytes.Dispose();
            throw;
        }
    }

    /// <summary>Kestrel enforces the body size limit as it reads (a 413 <see cref="BadHttpRequestException"/>).</summary>
    private static async Task ReadAllAsync(Stream source, BodyBuffer into, CancellationToken cancellationToken)
    {
        while (true)
        {
            // One byte is enough room: a buffer sized to the declared length is not doubled to see the body's end.
            var read = await source.ReadAsync(into.GetMemory(1), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return;
            }

            into.Advance(read);
        }
    }

    private static JsonDocument Parse(ReadOnlyMemory<byte> json)
    {
        try
        {
            return JsonDocument.Parse(json, Options);
        }
        catch (JsonException failure)
        {
            throw NotJson(failure);
        }
    }

    /// <summary>
    /// A body above the pooled size is parsed into an element that owns plain memory. <see cref="JsonDocument"/>
    /// rents its token table from the shared pool at the body's size (32 MiB for a 20 MB body) and the pool keeps
    /// such an array for the process's life, one per thread that returned one. Here the table is rented and returned
    /// within this synchronous call, so it sits in this thread's slot of the pool, and is taken back out and left to
    /// the GC.
    /// </summary>
    private static JsonElement ParseLarge(ReadOnlySpan<byte> json)
    {
        JsonElement root;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = Options.MaxDepth });
            root = JsonElement.ParseValue(ref reader);

            // Anything but whitespace after the value is an error, as it is for a small body.
            reader.Read();
        }
        catch (JsonException failure)
        {
            throw NotJson(failure);
        }

        // System.Text.Json sizes the table as body length + one 12-byte row, rounded down to 1 MiB for bodies of
        // up to 4 MiB (a size the pool may keep).
        const int RowSize = 12;
        if (json.Length + RowSize > 4 * BodyBuffer.MaxPooledLength)
        {
            _ = ArrayPool<byte>.Shared.Rent(json.Length + RowSize);
        }

        return root;
    }

    private static ApiException InvalidUtf8(ReadOnlyMemory<byte> json, int offset)
    {
        using var document = Parse(json);
        var path = RequestText.PathAt(document.RootElement, json, offset);
        return new ApiException(
            ApiErrorKind.InvalidRequest,
            path is null
                ? $"Request body is not valid UTF-8 (byte {offset})"
                : $"{(path.Length == 0 ? "body" : path)}: invalid UTF-8 in string (byte {offset} of the request body)");
    }

    private static ApiException NotJson(JsonException failure) =>
        new(
            ApiErrorKind.InvalidRequest,
            failure.BytePositionInLine is null && failure.LineNumber is null
                ? "Request body is empty or not JSON"
                : $"Request body is not valid JSON (line {failure.LineNumber + 1}, position {failure.BytePositionInLine})");

    private static ApiException TooLarge(long? limit) =>
        new(ApiErrorKind.RequestTooLarge, limit is { } max ? $"Request exceeds the maximum size of {max} bytes" : "Request exceeds the maximum size");

    [LoggerMessage(EventId = 23, Level = LogLevel.Information,
        Message = "{RequestId} request adjusted: {Count} unpaired surrogate escape(s) replaced with U+FFFD")]
    private static partial void LogSurrogates(ILogger logger, string requestId, int count);
}
