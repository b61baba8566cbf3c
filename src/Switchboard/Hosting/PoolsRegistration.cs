using Switchboard.Routing;
using Switchboard.Routing.Pools;

namespace Switchboard.Hosting;

/// <summary>Upstream pools: the health board every pool shares (also the health view), and the active probe.</summary>
public static class PoolsRegistration
{
    public static IServiceCollection AddPools(this IServiceCollection services)
    {
        services.AddSingleton<UpstreamHealthBoard>();
        services.AddSingleton<IUpstreamHealthView>(provider => provider.GetRequiredService<UpstreamHealthBoard>());
        services.AddSingleton<HealthProbe>();
        services.AddHostedService(provider => provider.GetRequiredService<HealthProbe>());
        return services;
    }
}
