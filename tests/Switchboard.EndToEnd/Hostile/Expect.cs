namespace Switchboard.EndToEnd.Hostile;

/// <summary>What the client must get for an upstream fault.</summary>
public enum Expect
{
    /// <summary>A 5xx (or in-stream error) the client may retry: 502/503/504/529, <c>api_error</c> or <c>overloaded_error</c>.</summary>
    ServerSide,

    /// <summary>529 <c>overloaded_error</c>, or a 502–504 <c>api_error</c>.</summary>
    Unavailable,

    /// <summary>400 <c>invalid_request_error</c>: the request can never succeed.</summary>
    InvalidRequest,

    /// <summary>429 <c>rate_limit_error</c> with <c>retry-after</c>.</summary>
    RateLimited,

    /// <summary>The gateway's own credentials failed: not a 401/403 that blames the client's key.</summary>
    NotClientAuth,

    /// <summary>The content that arrived, or an error; never an empty success.</summary>
    ContentOrError,
}
