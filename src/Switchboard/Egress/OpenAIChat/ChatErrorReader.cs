using System.Text.RegularExpressions;
using Switchboard.Canonical;
using Switchboard.Egress;

namespace Switchboard.Egress.OpenAIChat;

/// <summary>
/// Turns a model server's error answer into the exception the client is shown: a
/// <see cref="ContextWindowExceededException"/> when the request did not fit the context window (so the caller can
/// answer in the client's dialect), otherwise an <see cref="ApiException"/> whose kind
/// (<see cref="UpstreamFailureKind"/>) says whose fault it was and whether a retry can help. The client sees the
/// upstream's own short reason only when the body has a known error shape, and then sanitised
/// (<see cref="UpstreamText"/>); the whole body is for the log.
/// </summary>
public static partial class ChatErrorReader
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
        var exception = Translate(error.Status ?? 500, error, upstreamName, null, TimeProvider.System);
        exception.Data[LoggedBodyKey] = UpstreamText.ForLog(json);
        return exception;
    }

    /// <summary>Where an error object read mid-answer keeps its body for the log (the reader has no logger).</summary>
    internal const string LoggedBodyKey = "Switchboard.UpstreamErrorBody";

    /// <summary>The kind of failure an upstream error status (and, for server errors, its wording) means.</summary>
    internal static UpstreamFailureKind Classify(int status, ChatErrorBody error) => status switch
    {
        400 or 422 => UpstreamFailureKind.Rejected,
        401 or 403 => UpstreamFailureKind.Unauthorized,
        404 => UpstreamFailureKind.ModelNotFound,
        408 or 504 => UpstreamFailureKind.TimedOutBeforeHeaders,
        413 => UpstreamFailureKind.TooLarge,
        429 => UpstreamFailureKind.RateLimited,
        503 or 529 => UpstreamFailureKind.Overloaded,
        501 => UpstreamFailureKind.Rejected,
        502 => UpstreamFailureKind.ServerError,
        >= 400 and < 500 => UpstreamFailureKind.Rejected,

        // llama.cpp answers unsupported input ("image input is not supported") and template failures with a 500.
        _ when error.Known && NeverSucceeds().IsMatch(error.Message) => UpstreamFailureKind.Rejected,
        _ => UpstreamFailureKind.ServerError,
    };

    private static Exception Translate(int status, ChatErrorBody error, string name, string? retryAfterHeader, TimeProvider time)
    {
        // These statuses mean something else whatever the wording says.
        var contextPossible = status is not (401 or 403 or 404 or 408 or 429);
        if (contextPossible && ContextLimitMessage.TryRead(error) is { } exceeded)
        {
            return UpstreamFailure.WithStatus(exceeded, status);
        }

        var kind = Classify(status, error);
        var reason = error.Known && kind != UpstreamFailureKind.Unauthorized ? UpstreamText.ForClient(error.Message) : null;
        var said = reason is null ? "" : $": {reason}";
        var message = kind switch
        {
            UpstreamFailureKind.Rejected when status is 400 or 422 => $"Upstream '{name}' rejected the request{said}",
            UpstreamFailureKind.Rejected when status >= 500 => $"Upstream '{name}' cannot serve this request (HTTP {status}){said}",
            UpstreamFailureKind.Rejected => $"Upstream '{name}' rejected the request (HTTP {status}){said}",

            // The client's own key was fine; Switchboard's key for the upstream was not. Its body may echo that key.
            UpstreamFailureKind.Unauthorized => $"Upstream '{name}' refused Switchboard's credentials (HTTP {status})",
            UpstreamFailureKind.ModelNotFound => $"Upstream '{name}' does not know this model{said}",
            UpstreamFailureKind.TimedOutBeforeHeaders => $"Upstream '{name}' timed out (HTTP {status}){said}",
            UpstreamFailureKind.TooLarge => $"Upstream '{name}' says the request is too large{said}",
            UpstreamFailureKind.RateLimited => $"Upstream '{name}' is rate limiting requests{said}",
            UpstreamFailureKind.Overloaded => $"Upstream '{name}' is overloaded (HTTP {status}){said}",
            _ => $"Upstream '{name}' failed (HTTP {status}){said}",
        };

        var retryAfter = kind is UpstreamFailureKind.RateLimited or UpstreamFailureKind.Overloaded
            ? RetryAfterHeader.Seconds(retryAfterHeader, time)
            : null;
        return UpstreamFailure.WithStatus(UpstreamFailure.Create(kind, message, retryAfter), status);
    }

    [GeneratedRegex(@"not supported|unsupported|does not support|doesn't support|not implemented|chat template|roles must alternate|raise_exception|TemplateError|jinja|invalid (?:request|argument|input)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NeverSucceeds();
}
