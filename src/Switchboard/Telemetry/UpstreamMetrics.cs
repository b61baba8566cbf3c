using System.Diagnostics.Metrics;
using Switchboard.Routing;

namespace Switchboard.Telemetry;

/// <summary>
/// Upstream instruments on the <c>Switchboard</c> meter: each configured upstream's health state and in-flight
/// requests as health tracking reports them (<see cref="IUpstreamHealthView"/>, read only when the meter is
/// observed), attempts by outcome, and the streams being read from upstreams right now.
/// </summary>
public sealed class UpstreamMetrics
{
    public const string State = "switchboard.upstream.state";
    public const string InFlight = "switchboard.upstream.in_flight";
    public const string Attempts = "switchboard.upstream.attempts";
    public const string ActiveStreams = "switchboard.streams.active";

    /// <summary>The states a health view reports; each upstream has one series per state, 1 for its current one.</summary>
    private static readonly string[] States = ["healthy", "cooling", "down", "unknown"];

    private readonly Counter<long> _attempts;
    private readonly UpDownCounter<long> _activeStreams;

    public UpstreamMetrics(IMeterFactory meters, IUpstreamHealthView health)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(health);
        var meter = meters.Create(OverheadMetrics.MeterName);
        meter.CreateObservableGauge(State, () => ObserveStates(health), "1",
            "1 for each upstream's current health state (healthy, cooling, down, unknown), 0 for the others");
        meter.CreateObservableGauge(InFlight, () => health.Report().Select(u =>
            new Measurement<long>(u.InFlight, new KeyValuePair<string, object?>(TelemetryNames.Upstream, u.Upstream))), "{request}",
            "Requests sent to each upstream and not yet finished");
        _attempts = meter.CreateCounter<long>(Attempts, "{attempt}", "Calls to an upstream (a retry or failover is another), by outcome");
        _activeStreams = meter.CreateUpDownCounter<long>(ActiveStreams, "{stream}", "Streamed answers being read from an upstream now");
    }

    public void Attempted(string upstream, string? error) => _attempts.Add(1,
        new KeyValuePair<string, object?>(TelemetryNames.Upstream, upstream),
        new KeyValuePair<string, object?>(TelemetryNames.ErrorType, error ?? "none"));

    public void StreamStarted(string upstream) => _activeStreams.Add(1, new KeyValuePair<string, object?>(TelemetryNames.Upstream, upstream));

    public void StreamEnded(string upstream) => _activeStreams.Add(-1, new KeyValuePair<string, object?>(TelemetryNames.Upstream, upstream));

    private static IEnumerable<Measurement<int>> ObserveStates(IUpstreamHealthView health)
    {
        foreach (var upstream in health.Report())
        {
            var known = States.Contains(upstream.State, StringComparer.Ordinal);
            foreach (var state in States)
            {
                var current = state == upstream.State || (!known && state == "unknown");
                yield return new Measurement<int>(current ? 1 : 0,
                    new KeyValuePair<string, object?>(TelemetryNames.Upstream, upstream.Upstream),
                    new KeyValuePair<string, object?>(TelemetryNames.UpstreamState, state));
            }
        }
    }
}
