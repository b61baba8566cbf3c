using Microsoft.AspNetCore.Server.Kestrel.Core;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Switchboard.Configuration;
using Switchboard.Pipeline;
using Switchboard.Telemetry;

namespace Switchboard.Hosting;

/// <summary>
/// Metrics and traces through the OpenTelemetry SDK (docs/OBSERVABILITY.md): the <c>Switchboard</c> meter (and the
/// runtime's) read by the Prometheus exporter at <c>GET /metrics</c>; request and attempt spans; OTLP export of both
/// when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the exporter reads the standard <c>OTEL_*</c> variables). Metrics
/// are recorded at settlement from the request record; attempts are observed by wrapping the egress.
/// </summary>
internal static class TelemetryRegistration
{
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static IServiceCollection AddTelemetry(this IServiceCollection services, SwitchboardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var telemetry = options.Telemetry;
        services.AddSingleton<ModelLabels>();
        services.AddSingleton<BatchMetrics>();
        if (!telemetry.Metrics && !telemetry.Traces)
        {
            return services;
        }

        var otlp = !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(OtlpEndpointVariable));
        var sdk = services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService("switchboard", serviceVersion: ProductVersion.Value));
        if (telemetry.Metrics)
        {
            services.AddSingleton<RequestMetrics>();
            services.AddSingleton<IRequestSettlement>(provider => provider.GetRequiredService<RequestMetrics>());
            services.AddSingleton<UpstreamMetrics>();
            services.AddSingleton<IUpstreamDecorator>(provider => new UpstreamObservation(provider.GetRequiredService<UpstreamMetrics>()));
            sdk.WithMetrics(metrics =>
            {
                metrics.AddMeter(OverheadMetrics.MeterName, "System.Runtime");

                // The SDK matches meters by name across the process: only this host's instruments (made by its own
                // meter factory) are read, so two hosts in one process (tests, an embedding app) do not count each
                // other's requests.
                ((IDeferredMeterProviderBuilder)metrics).Configure((provider, builder) =>
                {
                    var factory = provider.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
                    builder.AddView(instrument => instrument.Meter.Name == OverheadMetrics.MeterName && !ReferenceEquals(instrument.Meter.Scope, factory)
                        ? MetricStreamConfiguration.Drop
                        : null);
                });
                metrics.AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0);
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        }
        else
        {
            services.AddSingleton<IUpstreamDecorator>(new UpstreamObservation());
        }

        if (telemetry.Traces)
        {
            services.AddSingleton<IRequestSettlement, RequestSpanSettlement>();
            if (otlp)
            {
                // The server span ASP.NET Core makes (parent of the request span) and HttpClient's (child of each
                // attempt) come from the framework's own sources.
                sdk.WithTracing(tracing => tracing
                    .AddSource(SwitchboardTracing.SourceName, "Microsoft.AspNetCore", "System.Net.Http")
                    .AddOtlpExporter());
            }
        }

        if (telemetry.Metrics && telemetry.MetricsPort is { } port)
        {
            var address = SwitchboardApp.ListenAddress(options).Address;
            services.Configure<KestrelServerOptions>(kestrel => kestrel.Listen(address, port));
        }

        services.AddSingleton<IStartupFilter>(new TelemetryStartup(options));
        return services;
    }
}
