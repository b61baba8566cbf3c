using Switchboard.Canonical;

namespace Switchboard.Ingress.Anthropic;

/// <summary>
/// The error a committed stream reports. Switchboard commits a stream before the upstream has produced anything,
/// so pings can flow through a long prefill; a server-side failure in that window would otherwise have been an HTTP
/// 5xx, which clients retry. In a stream, the one error type clients retry is <c>overloaded_error</c> (Claude Code
/// retries it, and gives up on an in-stream <c>api_error</c>), so such a failure before any content block goes out
/// as that, unless a retry cannot help (a refused upstream, a timeout that already spent the whole budget). Once
/// content has been sent the error keeps its type: a retry would repeat what the client has shown.
/// </summary>
public static class InStreamError
{
    public static ApiError For(ApiError failure, bool contentSent) =>
        !contentSent && failure.HttpStatus >= 500 && failure.ShouldRetry && failure.Kind != ApiErrorKind.Overloaded
            ? failure with { Kind = ApiErrorKind.Overloaded }
            : failure;
}
