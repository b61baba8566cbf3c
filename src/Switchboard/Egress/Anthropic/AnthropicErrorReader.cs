using System.Text.Json;
using Switchboard.Canonical;
using Switchboard.Egress.OpenAIChat;

namespace Switchboard.Egress.Anthropic;

/// <summary>
/// Turns an Anthropic-compatible upstream's error (an error response, or an <c>error</c> event in its stream) into
/// the error the client is told: the Messages API's own error type keeps its kind, so the Anthropic door answers
/// with the same type and status; a body of another shape falls back to its HTTP status. The client sees at most
/// the upstream's short reason, sanitised (<see cref="UpstreamText"/>), never its body. The exception is the
/// upstream refusing Switchboard's own account (authentication, permission, billing): that is the operator's
/// problem, reported as an <c>api_error</c>, not as the client's key being wrong.
/// </summary>
internal static class AnthropicErrorReader
{
    public static ApiException Translate(int status, ReadOnlySpan<byte> body, string upstream, string? retryAfterHeader, TimeProvider time)
    {
        var (type, message) = Parse(body);
        var kind = type is null ? FromStatus(status) : FromType(type) ?? FromStatus(status);
        var retryAfter = kind is ApiErrorKind.RateLimit or ApiErrorKind.Overloaded ? RetryAfterHeader.Seconds(retryAfterHeader, time) : null;
        var failure = UpstreamFailure.WithStatus(Create(kind, type, message, status, upstream, retryAfter), status);

        // What the pool reads: whether another target may succeed (rate limits, overload, server errors) and the health.
        return UpstreamFailure.Mark(failure, failure.Error.Kind == ApiErrorKind.Api && (status is 401 or 403 || type is "authentication_error" or "permission_error" or "billing_error")
            ? UpstreamFailureKind.Unauthorized
            : kind switch
            {
                ApiErrorKind.RateLimit => UpstreamFailureKind.RateLimited,
                ApiErrorKind.Overloaded => UpstreamFailureKind.Overloaded,
                ApiErrorKind.Timeout => UpstreamFailureKind.TimedOutBeforeHeaders,
                ApiErrorKind.Api => UpstreamFailureKind.ServerError,
                ApiErrorKind.NotFound => UpstreamFailureKind.ModelNotFound,
                ApiErrorKind.RequestTooLarge => UpstreamFailureKind.TooLarge,
                _ => UpstreamFailureKind.Rejected,
            });
    }

    /// <summary>An <c>error</c> event in a stream: <c>{"type":"error","error":{"type","message"}}</c>.</summary>
    public static ApiException FromEvent(ReadOnlySpan<byte> data, string upstream)
    {
        var (type, message) = Parse(data);
        var kind = type is null ? ApiErrorKind.Api : FromType(type) ?? ApiErrorKind.Api;
        return Create(kind, type, message, null, upstream, null);
    }

    private static ApiException Create(ApiErrorKind kind, string? type, string? upstreamMessage, int? status, string upstream, int? retryAfter)
    {
        var reason = UpstreamText.ForClient(upstreamMessage);
        var said = reason is null ? "" : $": {reason}";
        var http = status is { } code ? $" (HTTP {code})" : "";
        var credentials = type is "authentication_error" or "permission_error" or "billing_error" || status is 401 or 403;
        string text;
        if (credentials)
        {
            // The client's own key was fine; Switchboard's account at the upstream was not. Its body may echo the key.
            kind = ApiErrorKind.Api;
            text = $"Upstream '{upstream}' refused Switchboard's credentials or account{http}";
        }
        else
        {
            text = kind switch
            {
                // Anthropic's own wording for a prompt that does not fit is what clients act on (Claude Code compacts).
                ApiErrorKind.InvalidRequest when reason is not null && IsContextWording(reason) => reason,
                ApiErrorKind.InvalidRequest => $"Upstream '{upstream}' rejected the request{said}",
                ApiErrorKind.NotFound => $"Upstream '{upstream}' does not know this model{said}",
                ApiErrorKind.RequestTooLarge => $"Upstream '{upstream}' says the request is too large{said}",
                ApiErrorKind.RateLimit => $"Upstream '{upstream}' is rate limiting requests{said}",
                ApiErrorKind.Overloaded => $"Upstream '{upstream}' is overloaded{http}{said}",
                ApiErrorKind.Timeout => $"Upstream '{upstream}' timed out{http}{said}",
                _ => $"Upstream '{upstream}' failed{http}{said}",
            };
        }

        return new ApiException(new ApiError(kind, text)
        {
            RetryAfterSeconds = retryAfter,
            Retryable = credentials ? false : null,
        });
    }

    private static bool IsContextWording(string reason) =>
        reason.StartsWith("prompt is too long", StringComparison.Ordinal)
        || reason.StartsWith("input length and `max_tokens` exceed context limit", StringComparison.Ordinal);

    /// <summary>The Messages API's error types; null for a type it does not define (a server's own class names).</summary>
    internal static ApiErrorKind? FromType(string type) => type switch
    {
        "invalid_request_error" => ApiErrorKind.InvalidRequest,
        "authentication_error" => ApiErrorKind.Authentication,
        "permission_error" => ApiErrorKind.Permission,
        "billing_error" => ApiErrorKind.Billing,
        "not_found_error" => ApiErrorKind.NotFound,
        "request_too_large" => ApiErrorKind.RequestTooLarge,
        "rate_limit_error" => ApiErrorKind.RateLimit,
        "timeout_error" => ApiErrorKind.Timeout,
        "overloaded_error" => ApiErrorKind.Overloaded,
        "api_error" => ApiErrorKind.Api,
        _ => null,
    };

    private static ApiErrorKind FromStatus(int status) => status switch
    {
        503 or 529 => ApiErrorKind.Overloaded,
        502 => ApiErrorKind.Api,
        422 => ApiErrorKind.InvalidRequest,
        _ => ApiErrorKinds.FromStatus(status),
    };

    /// <summary>The error's type and message from an Anthropic envelope, or an OpenAI-shaped one; nulls when neither.</summary>
    private static (string? Type, string? Message) Parse(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("error", out var error))
            {
                return (null, null);
            }

            if (error.ValueKind == JsonValueKind.String)
            {
                return (null, error.GetString());
            }

            if (error.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            var type = error.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            return (type, message);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }
}
