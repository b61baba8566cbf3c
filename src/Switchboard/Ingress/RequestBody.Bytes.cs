using Microsoft.AspNetCore.Http.Features;
using Switchboard.Buffers;
using Switchboard.Canonical;

namespace Switchboard.Ingress;

/// <summary>Reading a body as checked text: for an endpoint that parses it piece by piece (batch creation), and for <see cref="ReadJsonAsync"/>.</summary>
internal static partial class RequestBody
{
    /// <summary>
    /// Reads the body under the request's size limit and checks its text (see <see cref="RequestText"/>), without
    /// parsing it: the caller holds the body once, as bytes.
    /// </summary>
    public static async Task<RequestBytes> ReadTextAsync(HttpContext context)
    {
        var limit = context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
        var length = context.Request.ContentLength;
        if (length is { } declared && limit is { } max && declared > max)
        {
            throw TooLarge(max);
        }

        // A large body waits for room before it is read (see LargeBodyMemory); a chunked one once it is seen large.
        var large = length > LargeBodyMemory.Threshold
            ? await LargeBodyMemory.HoldAsync(length.Value, context.RequestAborted).ConfigureAwait(false)
            : null;

        // A declared length sizes the buffer once (one more byte to see the end); a chunked body grows as it comes.
        var body = new BodyBuffer(length is { } known && known < Array.MaxLength ? (int)known + 1 : 16 * 1024);
        try
        {
            try
            {
                await ReadAllAsync(context.Request.Body, body, context.RequestAborted).ConfigureAwait(false);
            }
            catch (BadHttpRequestException bad) when (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                throw TooLarge(limit);
            }
            catch (IOException framing) when (framing is not BadHttpRequestException && !context.RequestAborted.IsCancellationRequested)
            {
                // Kestrel reports some chunked-framing faults (a chunk size that overflows) as a plain IOException.
                throw new ApiException(ApiErrorKind.InvalidRequest, "Malformed request body: " + framing.Message);
            }

            // A UTF-8 byte order mark is allowed before the JSON text (RFC 8259 §8.1), and skipped.
            var start = body.WrittenSpan.StartsWith(Utf8Bom) ? Utf8Bom.Length : 0;
            var replaced = RequestText.ReplaceLoneSurrogates(body.WrittenSpanForEdit[start..]);
            if (RequestText.FindInvalidUtf8(body.WrittenSpan[start..]) is { } offset)
            {
                throw InvalidUtf8(body.WrittenMemory[start..], offset);
            }

            if (body.Length <= LargeBodyMemory.Threshold)
            {
                // Declared large but small after all: nothing to reserve.
                large?.Dispose();
                large = null;
            }
            else
            {
                large ??= await LargeBodyMemory.HoldAsync(body.Length, context.RequestAborted).ConfigureAwait(false);
            }

            return new RequestBytes(body, start, large, replaced);
        }
        catch
        {
            body.Dispose();
            large?.Dispose();
            throw;
        }
    }
}
