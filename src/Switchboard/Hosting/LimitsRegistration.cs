using Microsoft.Extensions.DependencyInjection.Extensions;
using Switchboard.Configuration;
using Switchboard.Pipeline;
using Switchboard.Storage.Redis;
using Switchboard.Tenancy.Limits;

namespace Switchboard.Hosting;

/// <summary>
/// The admit stage's per-key limits: in-process counters, plus Redis ones shared by every Switchboard process when
/// <c>Storage:Redis</c> is set (over the process's one Redis connection, see <see cref="StorageRegistration"/>).
/// Replaces the admit-all policy.
/// </summary>
internal static class LimitsRegistration
{
    public static void AddKeyLimits(this IServiceCollection services, SwitchboardOptions options)
    {
        services.AddSingleton<LimitMetrics>();
        services.AddSingleton<LocalLimitCounters>();
        if (!string.IsNullOrWhiteSpace(options.Storage.Redis))
        {
            services.AddSingleton<RedisLimitCounters>();
            services.AddSingleton<ISharedLimitCounterStore>(provider => provider.GetRequiredService<RedisLimitCounters>());
        }

        services.AddSingleton<LimitCounters>();
        services.Replace(ServiceDescriptor.Singleton<IAdmissionPolicy, KeyLimitsAdmission>());
    }
}
