using System.Data.Common;
using Switchboard.Configuration;
using Switchboard.Storage;

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
        services.AddSingleton(new ThinkingKey(options, storedThinkingSecret));
    }

    /// <summary>The setting a store problem is reported under, as configuration problems name theirs.</summary>
    private static string Setting(SwitchboardOptions options) =>
        $"{SwitchboardOptions.Section}:Storage:{(options.Storage.PostgreSql is { Length: > 0 } ? nameof(StorageOptions.PostgreSql) : nameof(StorageOptions.DataDirectory))}";
}
