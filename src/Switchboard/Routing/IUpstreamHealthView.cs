namespace Switchboard.Routing;

/// <summary>
/// What the gateway currently believes about each upstream target: read by the admin API, the dashboard and the
/// metrics, written by the pool's health tracking. Readers never change routing.
/// </summary>
public interface IUpstreamHealthView
{
    /// <summary>One entry per configured upstream, in configuration order.</summary>
    IReadOnlyList<UpstreamHealthReport> Report();
}

/// <summary>One upstream as health tracking sees it. Never carries its URL's credentials or path, only its name and host.</summary>
/// <param name="State"><c>healthy</c>, <c>cooling</c> (refused after failures, until <paramref name="Until"/>), <c>down</c> (the probe fails) or <c>unknown</c>.</param>
/// <param name="InFlight">Requests sent to it and not yet finished.</param>
/// <param name="LastFailure">The last failure's kind (an <c>UpstreamFailureKind</c> name), or null.</param>
public sealed record UpstreamHealthReport(
    string Upstream, string Api, string Host, string State, int InFlight, DateTimeOffset? Until, string? LastFailure);
