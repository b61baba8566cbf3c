using System.Text.Json;
using Switchboard.Canonical;

namespace Switchboard.Ingress.Anthropic;

/// <summary>
/// Anthropic's error dialect: the wire type of each <see cref="ApiErrorKind"/> and the body
/// <c>{"type":"error","error":{"type","message"},"request_id"}</c>. Status and retryability come from the kind
/// (<see cref="ApiErrorKinds"/>). It is also the dialect of every path no other door claims.
/// </summary>
public sealed class AnthropicErrors : IErrorDialect
{
    private AnthropicErrors()
    {
    }

    /// <summary>The dialect, for endpoint metadata and <see cref="ErrorDialects"/>.</summary>
    public static AnthropicErrors Dialect { get; } = new();

    public string Name => "anthropic";

    public static int StatusCode(ApiErrorKind kind) => kind.HttpStatus();

    public static string WireType(ApiErrorKind kind) => kind switch
    {
        ApiErrorKind.InvalidRequest or ApiErrorKind.MethodNotAllowed or ApiErrorKind.UriTooLong
            or ApiErrorKind.HeadersTooLarge => "invalid_request_error",
        ApiErrorKind.Authentication => "authentication_error",
        ApiErrorKind.Permission => "permission_error",
        ApiErrorKind.NotFound => "not_found_error",
        ApiErrorKind.RequestTooLarge => "request_too_large",
        ApiErrorKind.RateLimit => "rate_limit_error",
        ApiErrorKind.Billing => "billing_error",
        ApiErrorKind.Timeout or ApiErrorKind.RequestTimeout => "timeout_error",
        ApiErrorKind.Overloaded => "overloaded_error",
        _ => "api_error",
    };

    /// <summary>Rate limits, overload and transient server-side failures are worth retrying; other errors are not.</summary>
    public static bool ShouldRetry(ApiErrorKind kind) => kind.IsRetryable();

    public static void WriteBody(Utf8JsonWriter w, ApiError error, string? requestId)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(error);
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
    public static Task WriteResponseAsync(HttpContext context, ApiError error) => ErrorResponse.WriteAsync(context, Dialect, error);

    string IErrorDialect.WireType(ApiErrorKind kind) => WireType(kind);

    void IErrorDialect.WriteBody(Utf8JsonWriter writer, ApiError error, string? requestId) => WriteBody(writer, error, requestId);
}
