using Switchboard.Canonical;
using Switchboard.Egress;

namespace Switchboard.Telemetry;

/// <summary>
/// How a failed upstream attempt is named in the request detail: the upstream failure's own name when the egress
/// classified it (<c>overloaded</c>, <c>refused</c>, <c>rate_limited</c>, <c>server_error</c>, …, as in the upstream
/// health view), else the error kind as in metrics, <c>context_window_exceeded</c> or <c>cancelled</c>.
/// </summary>
public static class AttemptOutcomes
{
    public static string Of(Exception failure) => failure switch
    {
        ApiException api when UpstreamFailure.KindOf(api) is { } kind => kind.LogName(),
        _ => ObservedUpstream.Label(failure),
    };
}
