using System.Diagnostics;

namespace Switchboard.Telemetry;

/// <summary>
/// The <c>Switchboard</c> activity source: one span per request that reached a front door path
/// (<see cref="RequestSpan"/>) and one child per upstream attempt (<see cref="AttemptSpan"/>). Spans exist only while
/// something listens (the OTLP exporter, a test's listener); otherwise starting one costs a check.
/// </summary>
public static class SwitchboardTracing
{
    public const string SourceName = "Switchboard";

    /// <summary>The request span's operation name; its display name becomes <c>chat {model}</c> once the model is known.</summary>
    public const string RequestSpan = "switchboard.request";

    /// <summary>An upstream attempt's operation name; displayed as <c>chat {upstream model}</c>.</summary>
    public const string AttemptSpan = "switchboard.upstream_attempt";

    public static ActivitySource Source { get; } = new(SourceName, typeof(SwitchboardTracing).Assembly.GetName().Version?.ToString());
}
