namespace Switchboard.Canonical;

/// <summary>
/// Every failure Switchboard reports. The HTTP status and whether a retry can help are decided here, per kind
/// (<see cref="ApiErrorKinds"/>); each front door only chooses its own words for the kind.
/// </summary>
public enum ApiErrorKind
{
    InvalidRequest,
    Authentication,
    Permission,
    NotFound,
    RequestTooLarge,
    RateLimit,

    /// <summary>The caller's budget is spent: 429, and retrying does not help until the budget period resets.</summary>
    Billing,
    Api,
    Timeout,
    Overloaded,

    /// <summary>The upstream could not be used (refused, unreachable, answered nonsense): 502.</summary>
    BadGateway,

    /// <summary>The client's request body stopped arriving: 408.</summary>
    RequestTimeout,

    /// <summary>The method is not served on this path: 405.</summary>
    MethodNotAllowed,

    /// <summary>The request line or URI is longer than Switchboard accepts: 414.</summary>
    UriTooLong,

    /// <summary>The request headers are larger or more numerous than Switchboard accepts: 431.</summary>
    HeadersTooLarge,
}

/// <summary>The HTTP status and retryability of each <see cref="ApiErrorKind"/>, the one place they are decided.</summary>
public static class ApiErrorKinds
{
    public static int HttpStatus(this ApiErrorKind kind) => kind switch
    {
        ApiErrorKind.InvalidRequest => 400,
        ApiErrorKind.Authentication => 401,
        ApiErrorKind.Permission => 403,
        ApiErrorKind.NotFound => 404,
        ApiErrorKind.MethodNotAllowed => 405,
        ApiErrorKind.RequestTimeout => 408,
        ApiErrorKind.RequestTooLarge => 413,
        ApiErrorKind.UriTooLong => 414,
        ApiErrorKind.RateLimit or ApiErrorKind.Billing => 429,
        ApiErrorKind.HeadersTooLarge => 431,
        ApiErrorKind.BadGateway => 502,
        ApiErrorKind.Timeout => 504,
        ApiErrorKind.Overloaded => 529,
        _ => 500,
    };

    /// <summary>
    /// Whether the same request, sent again, may succeed: rate limits, overload, a client body that stalled, and
    /// server-side failures. A refused or unreachable upstream (<see cref="ApiErrorKind.BadGateway"/>) is not: it
    /// stays down for longer than a client's retries last, and retrying only hides the cause from the user.
    /// </summary>
    public static bool IsRetryable(this ApiErrorKind kind) => kind switch
    {
        ApiErrorKind.RateLimit or ApiErrorKind.Overloaded or ApiErrorKind.RequestTimeout => true,
        ApiErrorKind.Api or ApiErrorKind.Timeout => true,
        _ => false,
    };

    /// <summary>The kind for an HTTP error status written without one (405 from routing, Kestrel's own rejections).</summary>
    public static ApiErrorKind FromStatus(int status) => status switch
    {
        400 => ApiErrorKind.InvalidRequest,
        401 => ApiErrorKind.Authentication,
        403 => ApiErrorKind.Permission,
        404 => ApiErrorKind.NotFound,
        405 => ApiErrorKind.MethodNotAllowed,
        408 => ApiErrorKind.RequestTimeout,
        413 => ApiErrorKind.RequestTooLarge,
        414 => ApiErrorKind.UriTooLong,
        429 => ApiErrorKind.RateLimit,
        431 => ApiErrorKind.HeadersTooLarge,
        502 => ApiErrorKind.BadGateway,
        503 or 529 => ApiErrorKind.Overloaded,
        504 => ApiErrorKind.Timeout,
        >= 400 and < 500 => ApiErrorKind.InvalidRequest,
        _ => ApiErrorKind.Api,
    };
}

/// <summary>A failure with a client-facing message. Never carries a stack trace to the client.</summary>
public sealed record ApiError(ApiErrorKind Kind, string Message)
{
    /// <summary>Seconds the client should wait before retrying (rate limits), when known.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>The same wait to the millisecond, for dialects whose clients read it (OpenAI's <c>retry-after-ms</c>).</summary>
    public int? RetryAfterMilliseconds { get; init; }

    /// <summary>Overrides the kind's retryability when the cause knows better (e.g. an upstream reset can be retried).</summary>
    public bool? Retryable { get; init; }

    /// <summary>The request field at fault, for dialects that name it (OpenAI's <c>param</c>).</summary>
    public string? Param { get; init; }

    /// <summary>A machine-readable reason for dialects that carry one (OpenAI's <c>code</c>, e.g. <c>context_length_exceeded</c>).</summary>
    public string? Code { get; init; }

    /// <summary>Whether the client should send the same request again.</summary>
    public bool ShouldRetry => Retryable ?? Kind.IsRetryable();

    public int HttpStatus => Kind.HttpStatus();
}

/// <summary>Thrown where a request cannot go on; endpoints turn it into an error response.</summary>
public sealed class ApiException(ApiError error) : Exception(error.Message)
{
    public ApiException(ApiErrorKind kind, string message)
        : this(new ApiError(kind, message))
    {
    }

    public ApiError Error { get; } = error;
}
