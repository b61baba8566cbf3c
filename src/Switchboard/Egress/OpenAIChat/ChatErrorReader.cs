using Switchboard.Buffers;
using Switchboard.Canonical;
using Switchboard.Egress;
using Switchboard.Pipeline;

namespace Switchboard.Egress.OpenAIChat;

/// <summary>
/// Turns a model server's error answer into the exception the client is shown: a
/// <see cref="ContextWindowExceededException"/> when the request did not fit the context window (so the caller can
/// answer in Anthropic's words), otherwise an <see cref="ApiException"/> that names the upstream and says whose
/// fault it was.
/// </summary>
public static class ChatErrorReader
{
    /// <summary>How messages name the upstream when the caller gives no name.</summary>
    internal const string UnnamedUpstream = "model server";

    public static Exception Translate(int status, ReadOnlySpan<byte> body, string upstreamName, string? retryAfterHeader) =>
        Translate(status, body, upstreamName, retryAfterHeader, TimeProvider.System);

    internal static Exception Translate(int status, ReadOnlySpan<byte> body, string upstreamName, string? retryAfterHeader, TimeProvider time) =>
        Translate(status, ChatErrorBody.Parse(body), upstreamName, retryAfterHeader, time);

    /// <summary>An error object sent in place of a response or a chunk; its own <c>code</c> gives the status, else 500.</summary>
    internal static Exception TranslateErrorObject(ReadOnlySpan<byte> json, string upstreamName)
    {
        var error = ChatErrorBody.Parse(json);
        return Translate(error.Status ?? 500, error, upstreamName, null, TimeProvider.System);
    }

    private static Exception Translate(int status, ChatErrorBody error, string name, string? retryAfterHeader, TimeProvider time)
    {
        // These statuses mean something else whatever the wording says.
        var contextPossible = status is not (401 or 403 or 404 or 408 or 429);
        if (contextPossible && ContextLimitMessage.TryRead(error) is { } exceeded)
        {
            return exceeded;
        }

        var message = error.Message;
        return status switch
        {
            400 or 422 => Fail(ApiErrorKind.InvalidRequest, $"Upstream '{name}' rejected the request: {message}"),

            // The client's own key was fine; Switchboard's key for the upstream was not.
            401 or 403 => Fail(ApiErrorKind.Api, $"Upstream '{name}' refused Switchboard's credentials (HTTP {status}): {message}"),
            404 => Fail(ApiErrorKind.NotFound, $"Upstream '{name}' does not know this model: {message}"),
            408 or 504 => Fail(ApiErrorKind.Timeout, $"Upstream '{name}' timed out (HTTP {status}): {message}"),
            413 => Fail(ApiErrorKind.RequestTooLarge, $"Upstream '{name}' says the request is too large: {message}"),
            429 => new ApiException(new ApiError(ApiErrorKind.RateLimit, $"Upstream '{name}' is rate limiting requests: {message}")
            {
                RetryAfterSeconds = RetryAfterHeader.Seconds(retryAfterHeader, time),
            }),
            503 or 529 => Fail(ApiErrorKind.Overloaded, $"Upstream '{name}' is overloaded (HTTP {status}): {message}"),
            >= 400 and < 500 => Fail(ApiErrorKind.InvalidRequest, $"Upstream '{name}' rejected the request (HTTP {status}): {message}"),
            _ => Fail(ApiErrorKind.Api, $"Upstream '{name}' failed (HTTP {status}): {message}"),
        };
    }

    private static ApiException Fail(ApiErrorKind kind, string message) => new(kind, message);
}
