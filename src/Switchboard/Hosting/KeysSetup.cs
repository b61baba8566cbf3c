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
internal static class KeysSetup
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
