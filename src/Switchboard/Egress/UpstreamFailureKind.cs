using Switchboard.Canonical;

namespace Switchboard.Egress;

/// <summary>What went wrong with an upstream, decided once (<see cref="UpstreamFailure"/>, <c>ChatErrorReader</c>).</summary>
public enum UpstreamFailureKind
{
    /// <summary>Nothing listens at the upstream's address.</summary>
    Refused,

    /// <summary>The upstream could not be reached at all: name not resolved, no route, TLS failed, connect timed out.</summary>
    Unreachable,

    /// <summary>The connection was reset or closed before the answer was complete.</summary>
    Reset,

    /// <summary>No response headers within the upstream's timeout.</summary>
    TimedOutBeforeHeaders,

    /// <summary>The answer started but did not finish within the upstream's timeout.</summary>
    TimedOutMidStream,

    /// <summary>A streamed answer went silent for longer than the upstream's idle timeout.</summary>
    TimedOutIdle,

    RateLimited,
    Overloaded,

    /// <summary>An answer that is not a chat completion, a malformed stream, or a body too large to be one.</summary>
    BadResponse,

    ContextExceeded,

    /// <summary>The upstream says the request can never succeed (a 400/422, unsupported input, a template that rejects it).</summary>
    Rejected,

    /// <summary>The upstream refused Switchboard's own credentials: an operator's problem, not the client's.</summary>
    Unauthorized,

    ModelNotFound,
    TooLarge,

    /// <summary>The upstream reported a server error of its own.</summary>
    ServerError,
}

/// <summary>The client-facing kind and retry advice of each <see cref="UpstreamFailureKind"/>.</summary>
public static class UpstreamFailureKinds
{
    public static ApiErrorKind ErrorKind(this UpstreamFailureKind kind) => kind switch
    {
        UpstreamFailureKind.Refused or UpstreamFailureKind.Unreachable or UpstreamFailureKind.Reset
            or UpstreamFailureKind.BadResponse => ApiErrorKind.BadGateway,
        UpstreamFailureKind.TimedOutBeforeHeaders or UpstreamFailureKind.TimedOutMidStream or UpstreamFailureKind.TimedOutIdle => ApiErrorKind.Timeout,
        UpstreamFailureKind.RateLimited => ApiErrorKind.RateLimit,
        UpstreamFailureKind.Overloaded => ApiErrorKind.Overloaded,
        UpstreamFailureKind.ContextExceeded or UpstreamFailureKind.Rejected => ApiErrorKind.InvalidRequest,
        UpstreamFailureKind.ModelNotFound => ApiErrorKind.NotFound,
        UpstreamFailureKind.TooLarge => ApiErrorKind.RequestTooLarge,
        _ => ApiErrorKind.Api,
    };

    /// <summary>
    /// Whether the client should send the request again. A reset (a restarting server, a stale pooled connection),
    /// overload, rate limits and the upstream's own server errors pass; a refused or unreachable upstream does not
    /// come back within a client's retry budget (Claude Code retried such a failure 11 times over 3 minutes), a
    /// timeout has already spent the whole budget once, and the rest fail the same way every time.
    /// </summary>
    public static bool IsRetryable(this UpstreamFailureKind kind) => kind is
        UpstreamFailureKind.Reset or UpstreamFailureKind.RateLimited or UpstreamFailureKind.Overloaded or UpstreamFailureKind.ServerError;

    /// <summary>The name in logs: <c>timed_out_before_headers</c>.</summary>
    public static string LogName(this UpstreamFailureKind kind) => kind switch
    {
        UpstreamFailureKind.Refused => "refused",
        UpstreamFailureKind.Unreachable => "unreachable",
        UpstreamFailureKind.Reset => "reset",
        UpstreamFailureKind.TimedOutBeforeHeaders => "timed_out_before_headers",
        UpstreamFailureKind.TimedOutMidStream => "timed_out_mid_stream",
        UpstreamFailureKind.TimedOutIdle => "timed_out_idle",
        UpstreamFailureKind.RateLimited => "rate_limited",
        UpstreamFailureKind.Overloaded => "overloaded",
        UpstreamFailureKind.BadResponse => "bad_response",
        UpstreamFailureKind.ContextExceeded => "context_exceeded",
        UpstreamFailureKind.Rejected => "rejected",
        UpstreamFailureKind.Unauthorized => "unauthorized",
        UpstreamFailureKind.ModelNotFound => "model_not_found",
        UpstreamFailureKind.TooLarge => "too_large",
        _ => "server_error",
    };
}
