using Switchboard.Configuration;
using Switchboard.Routing;
using Switchboard.Tenancy.Admin;

namespace Switchboard.Hosting;

/// <summary>Configuration reload: the reloader (file watch and SIGHUP) and <c>GET /admin/v1/config</c>.</summary>
internal static class ReloadRegistration
{
    public static void AddConfigurationReload(this WebApplicationBuilder builder, CommandLine commandLine, string contentRoot)
    {
        var configFile = commandLine.ConfigFile is { } file ? Path.GetFullPath(file, contentRoot) : null;
        builder.Services.AddSingleton(new ReloadInputs(builder.Configuration, commandLine, configFile));
        builder.Services.AddSingleton<ReloadState>();
        builder.Services.AddSingleton<RoutingReload>();
        builder.Services.AddSingleton<ConfigurationReloader>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<ConfigurationReloader>());
    }

    /// <summary><c>GET /admin/v1/config</c>: when the running configuration was loaded and how the last reload went.</summary>
    public static void MapConfigurationStatus(WebApplication app)
    {
        if (app.Services.GetRequiredService<SwitchboardOptions>().Admin.Token is not { Length: > 0 } token)
        {
            return;
        }

        var check = new AdminToken(token);
        app.MapGet(AdminApi.Prefix + "/config", async (HttpContext context, ReloadState state) =>
        {
            if (!check.Accepts(context.Request.Headers.Authorization.ToString()))
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await AdminResponses.ErrorAsync(context, StatusCodes.Status401Unauthorized, "authentication_error",
                    "the admin API needs 'Authorization: Bearer <Admin:Token>'; the token is missing or wrong");
                return;
            }

            await AdminResponses.JsonAsync(context, StatusCodes.Status200OK, w => ReloadStatusJson.Write(w, state));
        });
    }
}
