using System.Data.Common;
using StackExchange.Redis;
using Switchboard.Configuration;
using Switchboard.Storage;
using Switchboard.Storage.Redis;

namespace Switchboard.Hosting;

/// <summary>
/// The store behind keys, settings and the usage ledger, opened and migrated while the app is built, before anything
/// listens; and the thinking-signature key, read from it. A store that cannot be opened stops start-up with one plain
/// line (exit code 2), like a configuration mistake.
/// </summary>
internal static class StorageRegistration
{
    public static void AddStorage(IServiceCollection services, SwitchboardOptions options)
    {
        SwitchboardStore store;
        string? storedThinkingSecret = null;
        try
        {
            store = SwitchboardStore.OpenAsync(options.Storage, TimeProvider.System, CancellationToken.None).GetAwaiter().GetResult();
            if (options.ThinkingSignatureKey is not { Length: > 0 })
            {
                storedThinkingSecret = store.Settings.GetOrAddAsync(ThinkingKey.SettingName, ThinkingKey.NewSecret(), CancellationToken.None)
                    .GetAwaiter().GetResult();
            }
        }
        catch (StoreUnavailableException failure)
        {
            throw new SwitchboardConfigurationException($"{Setting(options)}: {failure.Message}");
        }
        catch (DbException failure)
        {
            throw new SwitchboardConfigurationException($"{Setting(options)}: cannot read the thinking-signature key from the store: {failure.Message.Split('\n')[0]}");
        }

        // A factory registration, so the container disposes the store (and its connection pool) with the app.
        services.AddSingleton(_ => store);
        services.AddSingleton(provider => provider.GetRequiredService<SwitchboardStore>().Keys);
        services.AddSingleton(provider => provider.GetRequiredService<SwitchboardStore>().Settings);
        services.AddSingleton(provider => provider.GetRequiredService<SwitchboardStore>().Ledger);
        services.AddSingleton(provider => provider.GetRequiredService<SwitchboardStore>().Responses);
        services.AddSingleton(new ThinkingKey(options, storedThinkingSecret));
        if (!string.IsNullOrWhiteSpace(options.Storage.Redis))
        {
            AddRedis(services, options.Storage.Redis);
        }
    }

    /// <summary>
    /// One Redis connection per process for everything shared through it (rate-limit counters, budgets' spend),
    /// started when the app starts, not at the first limited request.
    /// </summary>
    private static void AddRedis(IServiceCollection services, string configuration)
    {
        CheckRedis(configuration);
        services.AddSingleton(provider => new RedisConnection(configuration, provider.GetRequiredService<ILogger<RedisConnection>>()));
        services.AddHostedService<RedisConnector>();
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

    private sealed class RedisConnector(RedisConnection redis) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            _ = redis.Location;
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>The setting a store problem is reported under, as configuration problems name theirs.</summary>
    private static string Setting(SwitchboardOptions options) =>
        $"{SwitchboardOptions.Section}:Storage:{(options.Storage.PostgreSql is { Length: > 0 } ? nameof(StorageOptions.PostgreSql) : nameof(StorageOptions.DataDirectory))}";
}
