using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Switchboard.Hosting;

/// <summary>
/// Limits on the request line and headers. Kestrel answers a request over its own limits before any middleware
/// runs, with an empty body and no <c>request-id</c>; so Switchboard enforces these limits itself (in
/// <see cref="RequestLimitsMiddleware"/>, with a proper error body) and sets Kestrel's well above them, so a
/// client gets the limit in its message; Kestrel's own answer for requests far beyond them still gets a body
/// (<see cref="KestrelRejectionBodies"/>).
/// </summary>
public static class RequestLimits
{
    /// <summary>Longest request target (path and query) answered normally; longer gets 414.</summary>
    public const int MaxTargetBytes = 16 * 1024;

    /// <summary>Largest total of header names and values answered normally; larger gets 431.</summary>
    public const int MaxHeaderBytes = 64 * 1024;

    /// <summary>Most headers answered normally; more gets 431.</summary>
    public const int MaxHeaderCount = 200;

    /// <summary>Kestrel's own limits: four times Switchboard's, so the gap is wide enough for any real client.</summary>
    public static void ApplyTo(KestrelServerLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        limits.MaxRequestLineSize = MaxTargetBytes * 4;
        limits.MaxRequestHeadersTotalSize = MaxHeaderBytes * 4;
        limits.MaxRequestHeaderCount = MaxHeaderCount * 4;
    }
}
