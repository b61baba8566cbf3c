using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Switchboard.Canonical;

namespace Switchboard.Ingress.Anthropic;

/// <summary>
/// The one place that decides the HTTP status and wire type of each <see cref="ApiErrorKind"/>, and writes
/// Anthropic error bodies: <c>{"type":"error","error":{"type","message"},"request_id"}</c>.
/// </summary>
public static class AnthropicErrors
{
    public static int StatusCode(ApiErrorKind kind) => kind switch
    {
        ApiErrorKind.InvalidRequest => StatusCodes.Status400BadRequest,
        ApiErrorKind.Authentication => StatusCodes.Status401Unauthorized,
        ApiErrorKind.Permission => StatusCodes.Status403Forbidden,
        ApiErrorKind.NotFound => StatusCodes.Status404NotFound,
        ApiErrorKind.RequestTooLarge => StatusCodes.Status413PayloadTooLarge,
        ApiErrorKind.RateLimit => StatusCodes.Status429TooManyRequests,
        ApiErrorKind.Timeout => StatusCodes.Status504GatewayTimeout,
        ApiErrorKind.Overloaded => 529,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static string WireType(ApiErrorKind kind) => kind switch
    {
        ApiErrorKind.InvalidRequest => "invalid_request_error",
        ApiErrorKind.Authentication => "authentication_error",
        ApiErrorKind.Permission => "permission_error",
        ApiErrorKind.NotFound => "not_found_error",
        ApiErrorKind.RequestTooLarge => "request_too_large",
        ApiErrorKind.RateLimit => "rate_limit_error",
        ApiErrorKind.Timeout => "timeout_error",
        ApiErrorKind.Overloaded => "overloaded_error",
        _ => "api_error",
    };

    /// <summary>Rate limits and server-side failures are worth retrying; other client errors are not.</summary>
    public static bool ShouldRetry(ApiErrorKind kind) => StatusCode(kind) is 429 or >= 500;

    public static void WriteBody(Utf8JsonWriter w, ApiError error, string? requestId)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "error"u8);
        w.WriteStartObject("error"u8);
        w.WriteString("type"u8, WireType(error.Kind));
        w.WriteString("message"u8, error.Message);
        w.WriteEndObject();
        w.WriteString("request_id"u8, requestId);
        w.WriteEndObject();
    }

    /// <summary>
    /// Sends <paramref name="error"/> as a complete JSON error response. Does nothing once the response has
    /// started: then the status line is gone, and a stream reports failures with its own error event.
    /// </summary>
    public static async Task WriteResponseAsync(HttpContext context, ApiError error)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            return;
        }

        response.StatusCode = StatusCode(error.Kind);
        response.ContentType = "application/json";
        response.Headers["x-should-retry"] = ShouldRetry(error.Kind) ? "true" : "false";
        if (error.RetryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = Math.Max(0, seconds).ToString(CultureInfo.InvariantCulture);
        }

        using (var json = new Utf8JsonWriter(response.BodyWriter, AnthropicJson.Writer))
        {
            WriteBody(json, error, context.TraceIdentifier);
        }

        await response.BodyWriter.FlushAsync().ConfigureAwait(false);
    }
}
