using Switchboard.Configuration;
using Switchboard.Telemetry;

namespace Switchboard.Hosting;

/// <summary>
/// Puts telemetry in front of the application's own middleware: <c>GET /metrics</c> (OpenTelemetry's Prometheus
/// exporter, behind <see cref="MetricsAccess"/> on the main port, alone on <c>Telemetry:MetricsPort</c>) and the
/// request span around the request log, so the span is current when the request settles.
/// </summary>
internal sealed class TelemetryStartup(SwitchboardOptions options) : IStartupFilter
{
    public const string MetricsPath = "/metrics";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        var telemetry = options.Telemetry;
        if (telemetry.Metrics)
        {
            // Built now: its gauges exist from the start, observed on each scrape.
            _ = app.ApplicationServices.GetRequiredService<UpstreamMetrics>();
            UseMetricsEndpoint(app, telemetry.MetricsPort);
        }

        if (telemetry.Traces)
        {
            app.UseMiddleware<RequestSpanMiddleware>();
        }

        next(app);
    };

    private void UseMetricsEndpoint(IApplicationBuilder app, int? metricsPort)
    {
        if (metricsPort is { } port)
        {
            // The metrics port serves /metrics and nothing else.
            app.Use((context, next) =>
            {
                if (context.Connection.LocalPort == port && context.Request.Path != MetricsPath)
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
                }

                return next(context);
            });
            app.UseOpenTelemetryPrometheusScrapingEndpoint(
                meterProvider: null,
                predicate: context => context.Connection.LocalPort == port && context.Request.Path == MetricsPath,
                path: null,
                configureBranchedPipeline: null,
                optionsName: null);
            return;
        }

        var access = new MetricsAccess(options.Admin.Token);
        app.UseOpenTelemetryPrometheusScrapingEndpoint(
            meterProvider: null,
            predicate: context => context.Request.Path == MetricsPath,
            path: null,
            configureBranchedPipeline: branch => branch.Use((context, next) => access.CheckAsync(context, next)),
            optionsName: null);
    }
}
