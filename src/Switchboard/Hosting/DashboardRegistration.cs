using Switchboard.Configuration;
using Switchboard.Dashboard;
using Switchboard.Pipeline;
using Switchboard.Tenancy;

namespace Switchboard.Hosting;

/// <summary>
/// The dashboard at <c>/ui</c>: its traffic window (a settle-stage consumer, kept whether or not the dashboard is
/// served, so it is ready the moment it is), and, only when <c>Admin:Token</c> is set, its sessions, pages and routes.
/// </summary>
internal static class DashboardRegistration
{
    public static IServiceCollection AddDashboard(this IServiceCollection services, SwitchboardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton<TrafficWindow>();
        services.AddSingleton<IRequestSettlement>(provider => provider.GetRequiredService<TrafficWindow>());
        if (options.Admin.Token is { Length: > 0 } token)
        {
            services.AddSingleton<DashboardAssets>();
            services.AddSingleton<DashboardPages>();
            services.AddSingleton(provider => new DashboardSessions(token, provider.GetRequiredService<ISettingsStore>(), provider.GetRequiredService<TimeProvider>()));
        }

        return services;
    }

    public static void MapDashboard(this WebApplication app)
    {
        if (app.Services.GetRequiredService<SwitchboardOptions>().Admin.Token is { Length: > 0 })
        {
            DashboardEndpoints.Map(app);
        }
    }
}
