using System.Net;
using Switchboard.Buffers;
using Switchboard.Canonical;
using Switchboard.Configuration;
using Switchboard.Egress;
using Switchboard.Egress.OpenAIChat;
using Switchboard.Egress.OpenAIChat.Profiles;
using Switchboard.Ingress.Anthropic;
using Switchboard.Pipeline;
using Switchboard.Routing;
using Switchboard.Telemetry;
using Switchboard.Tenancy;

namespace Switchboard.Hosting;

/// <summary>Builds the Switchboard server: configuration, services, Kestrel, middleware and endpoints.</summary>
public static partial class SwitchboardApp
{
    public const int DefaultPort = 4000;

    /// <param name="args">Command-line arguments: the quickstart flags and any <c>--Key=value</c> configuration.</param>
    /// <param name="configure">Last changes before the app is built (tests add log sinks here).</param>
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration.AddCommandLine(args, CommandLine.SwitchMappings);
        if (builder.Configuration["Switchboard:ConfigFile"] is { Length: > 0 } configFile)
        {
            // A config file sits under the flags: flags given on the command line still win.
            builder.Configuration.AddJsonFile(Path.GetFullPath(configFile), optional: false, reloadOnChange: false);
            builder.Configuration.AddCommandLine(args, CommandLine.SwitchMappings);
        }

        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fff ";
        });

        var options = builder.Configuration.GetSection(SwitchboardOptions.Section).Get<SwitchboardOptions>() ?? new SwitchboardOptions();
        CommandLine.ApplyQuickstart(builder.Configuration, options);
        foreach (var model in options.Models)
        {
            // An unknown Profile name stops start-up here, with a message naming the known ones.
            _ = ProfileCatalog.For(model, model.UpstreamModel ?? model.Name);
        }

        var listen = ListenAddress(builder.Configuration, options);

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            RequestLimits.ApplyTo(kestrel.Limits);
            kestrel.Listen(listen.Address, listen.Port);
        });

        AddServices(builder.Services, options);
        configure?.Invoke(builder);
        var app = builder.Build();
        MapEndpoints(app);

        var startupLog = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Switchboard");
        app.Lifetime.ApplicationStarted.Register(() => LogStarted(startupLog, app, options));
        return app;
    }

    private static void AddServices(IServiceCollection services, SwitchboardOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ThinkingKey>();
        services.AddSingleton<OverheadMetrics>();
        services.AddSingleton<ApiKeyAuthenticator>();
        services.AddSingleton<UpstreamRegistry>();
        services.AddSingleton<ModelCatalog>();
        services.AddSingleton<IModelUpstream, OpenAiChatUpstream>();
        services.AddSingleton<ServerTokenizer>();
        services.AddSingleton<ServerModelInfo>();
        services.AddSingleton<TokenCounter>();
        services.AddSingleton<UpstreamForwarder>();
        services.AddSingleton<MessagesStreamResponder>();
        services.AddSingleton<MessagesEndpoint>();
        services.AddSingleton<CountTokensEndpoint>();
        services.AddSingleton<ModelsEndpoint>();
        services.AddHostedService<LocalServerProbe>();
        ErrorHandling.AddErrorHandling(services);
    }

    private static void MapEndpoints(WebApplication app)
    {
        app.UseMiddleware<RequestLogMiddleware>();
        ErrorHandling.UseErrorHandling(app);
        app.UseMiddleware<ApiKeyMiddleware>();

        // Claude Code and load balancers probe these; they answer without a key.
        app.MapMethods("/", ["GET", "HEAD"], () => Results.Text("Switchboard\n"));
        app.MapMethods("/api/hello", ["GET", "HEAD"], () => Results.Ok());
        app.MapGet("/healthz", () => Results.Text("ok\n"));

        app.MapPost("/v1/messages", (HttpContext context, MessagesEndpoint endpoint) => endpoint.HandleAsync(context))
            .WithMetadata(AnthropicErrors.Dialect);
        app.MapPost("/v1/messages/count_tokens", (HttpContext context, CountTokensEndpoint endpoint) => endpoint.HandleAsync(context))
            .WithMetadata(AnthropicErrors.Dialect);
        app.MapGet("/v1/models", (HttpContext context, ModelsEndpoint endpoint) => endpoint.ListAsync(context))
            .WithMetadata(AnthropicErrors.Dialect);
        app.MapGet("/v1/models/{id}", (HttpContext context, string id, ModelsEndpoint endpoint) => endpoint.GetAsync(context, id))
            .WithMetadata(AnthropicErrors.Dialect);
        ErrorHandling.MapFallback(app);
    }

    /// <summary>Loopback unless keys are configured: an open gateway must not be reachable from the network.</summary>
    private static IPEndPoint ListenAddress(IConfiguration configuration, SwitchboardOptions options)
    {
        var port = configuration.GetValue("Switchboard:Port", DefaultPort);
        var host = configuration["Switchboard:Host"];
        var address = host switch
        {
            null or "" => options.ApiKeys.Count > 0 ? IPAddress.Any : IPAddress.Loopback,
            "localhost" => IPAddress.Loopback,
            _ => IPAddress.Parse(host),
        };
        if (options.ApiKeys.Count == 0 && !IPAddress.IsLoopback(address))
        {
            address = IPAddress.Loopback;
        }

        return new IPEndPoint(address, port);
    }

    private static void LogStarted(ILogger logger, WebApplication app, SwitchboardOptions options)
    {
        var urls = string.Join(", ", app.Urls);
        if (options.ApiKeys.Count == 0)
        {
            LogOpen(logger, urls);
        }
        else
        {
            LogListening(logger, urls, options.ApiKeys.Count);
        }

        var catalog = app.Services.GetRequiredService<ModelCatalog>();
        foreach (var model in catalog.Models)
        {
            var route = catalog.Resolve(model.Name);
            LogModel(logger, model.Name, route.Upstream.Name, route.Upstream.BaseUrl, route.UpstreamModel, route.Profile.Name, string.Join(", ", model.Aliases));
        }

        if (!app.Services.GetRequiredService<ThinkingKey>().Configured)
        {
            LogRandomThinkingKey(logger);
        }
    }

    [LoggerMessage(EventId = 50, Level = LogLevel.Warning,
        Message = "Switchboard listening on {Urls} with no API keys configured: loopback only, every local client is allowed. Set --api-key or Switchboard:ApiKeys to accept network clients.")]
    private static partial void LogOpen(ILogger logger, string urls);

    [LoggerMessage(EventId = 51, Level = LogLevel.Information, Message = "Switchboard listening on {Urls}; {KeyCount} API key(s) configured")]
    private static partial void LogListening(ILogger logger, string urls, int keyCount);

    [LoggerMessage(EventId = 52, Level = LogLevel.Information, Message = "Model {Model} → upstream {Upstream} ({BaseUrl}) as {UpstreamModel}, profile {Profile}; aliases: [{Aliases}]")]
    private static partial void LogModel(ILogger logger, string model, string upstream, string baseUrl, string upstreamModel, string profile, string aliases);

    [LoggerMessage(EventId = 53, Level = LogLevel.Information,
        Message = "No Switchboard:ThinkingSignatureKey set: thinking signatures are valid for this process only. Set one shared key when running several instances.")]
    private static partial void LogRandomThinkingKey(ILogger logger);
}
