using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Switchboard.Canonical;

namespace Switchboard.Ingress.Anthropic;

/// <summary>Reads a request body as JSON, turning oversize and malformed bodies into Anthropic errors.</summary>
internal static class RequestBody
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 256 };

    public static async Task<JsonDocument> ReadJsonAsync(HttpContext context)
    {
        var limit = context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
        if (context.Request.ContentLength is { } length && limit is { } max && length > max)
        {
            throw TooLarge(max);
        }

        try
        {
            return await JsonDocument.ParseAsync(context.Request.Body, Options, context.RequestAborted).ConfigureAwait(false);
        }
        catch (BadHttpRequestException bad) when (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge(limit);
        }
        catch (JsonException json)
        {
            var message = json.BytePositionInLine is null && json.LineNumber is null
                ? "Request body is empty or not JSON"
                : $"Request body is not valid JSON (line {json.LineNumber + 1}, position {json.BytePositionInLine})";
            throw new ApiException(ApiErrorKind.InvalidRequest, message);
        }
    }

    private static ApiException TooLarge(long? limit) =>
        new(ApiErrorKind.RequestTooLarge, limit is { } max ? $"Request exceeds the maximum size of {max} bytes" : "Request exceeds the maximum size");
}
