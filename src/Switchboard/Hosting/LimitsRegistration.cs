using Microsoft.Extensions.DependencyInjection.Extensions;
using StackExchange.Redis;
using Switchboard.Configuration;
using Switchboard.Pipeline;
using Switchboard.Storage.Limits;
using Switchboard.Tenancy.Limits;

namespace Switchboard.Hosting;

/// <summary>
/// The admit stage's per-key limits: in-process counters, plus Redis ones shared by every Switchboard process when
/// <c>Storage:Redis</c> is set (checked at start; connected from start, in the background). Replaces the admit-all
/// policy.
/// </summary>
internal static class LimitsRegistration
{
    public static void AddKeyLimits(this IServiceCollection services, SwitchboardOptions options)
    {
        services.AddSingleton<LimitMetrics>();
        services.AddSingleton<LocalLimitCounters>();
        if (!string.IsNullOrWhiteSpace(options.Storage.Redis))
        {
            CheckRedis(options.Storage.Redis);
            services.AddSingleton<RedisLimitCounters>();
            services.AddSingleton<ISharedLimitCounterStore>(provider => provider.GetRequiredService<RedisLimitCounters>());
            services.AddHostedService<RedisConnector>();
        }

        services.AddSingleton<LimitCounters>();
        services.Replace(ServiceDescriptor.Singleton<IAdmissionPolicy, KeyLimitsAdmission>());
    }

    /// <summary>A connection string that cannot work stops start-up with one line (never repeating it: it may hold a password).</summary>
    private static void CheckRedis(string connection)
    {
        string? problem;
        try
        {
            problem = ConfigurationOptions.Parse(connection).EndPoints.Count == 0 ? "it names no host:port" : null;
        }
        catch (ArgumentException failure)
        {
            problem = failure.Message;
        }

        if (problem is not null)
        {
            throw new SwitchboardConfigurationException(
                $"{SwitchboardOptions.Section}:Storage:Redis: not a usable Redis connection string ({problem}); expected e.g. redis.internal:6379,password=…");
        }
    }

    /// <summary>Starts connecting to Redis when the app starts, not at the first limited request.</summary>
    private sealed class RedisConnector(RedisLimitCounters counters) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            _ = counters.IsAvailable;
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
