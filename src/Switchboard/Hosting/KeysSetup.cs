using Switchboard.Configuration;
using Switchboard.Ingress;
using Switchboard.Tenancy;
using Switchboard.Tenancy.Admin;
using Switchboard.Tenancy.Keys;

namespace Switchboard.Hosting;

/// <summary>
/// Keys in the server: configured and stored keys, the key directory and its cache, the key manager the admin API
/// changes keys through (invalidating the cache at once), <c>GET /v1/usage</c> and the admin API (only with
/// <c>Admin:Token</c>). The stores themselves are registered with storage.
/// </summary>
internal static partial class KeysSetup
{
    public static void AddKeys(IServiceCollection services)
    {
        services.AddSingleton<ApiKeyAuthenticator>();
        services.AddSingleton<KeyDirectory>();
        services.AddSingleton(provider =>
        {
            var directory = provider.GetRequiredService<KeyDirectory>();
            return new KeyManager(provider.GetRequiredService<IKeyStore>(), provider.GetRequiredService<TimeProvider>(), directory.Invalidate);
        });
        services.AddSingleton<UsageEndpoint>();
        services.AddSingleton<AdminApi>();
    }

    /// <summary>Whether the store holds an active key (so requests need one), for the start-up line; false when it cannot tell quickly.</summary>
    public static bool StoredKeysRequired(IServiceProvider services)
    {
        var required = services.GetRequiredService<KeyDirectory>().AuthenticationRequiredAsync().AsTask();
        return required.Wait(TimeSpan.FromSeconds(2)) && required.Result == true;
    }

    [LoggerMessage(EventId = 54, Level = LogLevel.Information,
        Message = "Switchboard {Version} listening on {Urls}; stored API keys exist, so every request needs a key")]
    public static partial void LogStoredKeysRequired(ILogger logger, string version, string urls);

    public static void MapKeys(WebApplication app)
    {
        var dialect = app.Services.GetRequiredService<HeaderChosenDialect>();
        app.MapGet("/v1/usage", (HttpContext context, UsageEndpoint endpoint) => endpoint.GetAsync(context)).WithMetadata(dialect);
        if (app.Services.GetRequiredService<SwitchboardOptions>().Admin.Token is { Length: > 0 } token)
        {
            AdminApi.Map(app, token);
        }
    }
}
