namespace Switchboard.Configuration;

/// <summary>
/// Metrics and traces (<c>Switchboard:Telemetry</c>): what is measured, and where <c>GET /metrics</c> is served. OTLP
/// export is switched on by the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> variable, not here. See docs/OBSERVABILITY.md.
/// </summary>
public sealed class TelemetryOptions
{
    /// <summary>Record metrics (the <c>Switchboard</c> meter) and serve them at <c>GET /metrics</c>.</summary>
    public bool Metrics { get; set; } = true;

    /// <summary>
    /// Serve <c>GET /metrics</c> on this port alone, without a token (for a scraper inside the network); null: on
    /// the main port, behind <c>Admin:Token</c> (and open on loopback when Switchboard runs without any key).
    /// </summary>
    public int? MetricsPort { get; set; }

    /// <summary>Make a span per request and per upstream attempt (sent when OTLP is configured or a listener is attached).</summary>
    public bool Traces { get; set; } = true;
}
