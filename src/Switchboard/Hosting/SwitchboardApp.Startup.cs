using System.Text;
using Switchboard.Configuration;
using Switchboard.Egress;
using Switchboard.Telemetry;
using Switchboard.Tenancy;

namespace Switchboard.Hosting;

/// <summary>Start-up pieces of the composition root: the upstream probe, CORS and the key-less cross-site guard.</summary>
public static partial class SwitchboardApp
{
    /// <summary>The <c>GET /healthz</c> body: constant, so the probe costs nothing.</summary>
    private static readonly byte[] HealthBody = Encoding.UTF8.GetBytes($$"""{"status":"ok","version":"{{ProductVersion.Value}}"}""");

    private static void AddStartupServices(IServiceCollection services, SwitchboardOptions options)
    {
        services.AddHostedService<UpstreamStartupProbe>();
        if (options.Cors.AllowedOrigins.Count > 0)
        {
            services.AddCors(cors => cors.AddDefaultPolicy(policy =>
            {
                if (options.Cors.AllowedOrigins.Contains("*"))
                {
                    policy.AllowAnyOrigin();
                }
                else
                {
                    policy.WithOrigins([.. options.Cors.AllowedOrigins]);
                }

                policy.AllowAnyHeader().AllowAnyMethod()
                    .WithExposedHeaders("request-id", "retry-after", "x-should-retry")
                    .SetPreflightMaxAge(TimeSpan.FromMinutes(10));
            }));
        }
    }

    /// <summary>CORS for configured origins (preflights answered before authentication), then the key-less guard.</summary>
    private static void UseCrossSiteProtection(WebApplication app)
    {
        var options = app.Services.GetRequiredService<SwitchboardOptions>();
        if (options.Cors.AllowedOrigins.Count > 0)
        {
            app.UseCors();
        }

        app.UseMiddleware<CrossSiteGuardMiddleware>();
    }
}
