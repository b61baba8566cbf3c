using Microsoft.AspNetCore.Http.Features;
using Switchboard.Buffers;
using Switchboard.Canonical;

namespace Switchboard.Ingress;

/// <summary>Reading a body as checked text, for an endpoint that parses it piece by piece (batch creation).</summary>
internal static partial class RequestBody
{
    /// <summary>
    /// Reads the body under the request's size limit and checks its text as <see cref="ReadJsonAsync"/> does, without
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

        var large = length > LargeBodyMemory.Threshold
            ? await LargeBodyMemory.HoldAsync(length.Value, context.RequestAborted).ConfigureAwait(false)
            : null;
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
                throw new ApiException(ApiErrorKind.InvalidRequest, "Malformed request body: " + framing.Message);
            }

            var start = body.WrittenSpan.StartsWith(Utf8Bom) ? Utf8Bom.Length : 0;
            RequestText.ReplaceLoneSurrogates(body.WrittenSpanForEdit[start..]);
            if (RequestText.FindInvalidUtf8(body.WrittenSpan[start..]) is { } offset)
            {
                throw InvalidUtf8(body.WrittenMemory[start..], offset);
            }

            if (large is null && body.Length > LargeBodyMemory.Threshold)
            {
                large = await LargeBodyMemory.HoldAsync(body.Length, context.RequestAborted).ConfigureAwait(false);
            }

            return new RequestBytes(body, start, large);
        }
        catch
        {
            body.Dispose();
            large?.Dispose();
            throw;
        }
    }
}
