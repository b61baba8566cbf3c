using System.Net;
using Switchboard.Canonical;
using Switchboard.Configuration;
using Switchboard.Egress;
using Switchboard.Egress.OpenAIChat;
using Switchboard.Ingress;
using Switchboard.Ingress.Anthropic;
using Switchboard.Ingress.OpenAIChat;
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
        // Every mistake in the flags, files or settings stops here, before anything listens, as one
        // SwitchboardConfigurationException listing them all (the program prints them and exits with code 2).
        var commandLine = CommandLine.Parse(args);

        // The directory Switchboard is started from: appsettings.json there is read, and --config paths resolve there.
        var contentRoot = Directory.GetCurrentDirectory();
        StartupConfiguration.CheckAppSettings(contentRoot);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = contentRoot });
        LoggingDefaults.Apply(builder);
        builder.Configuration.AddInMemoryCollection(commandLine.Settings);
        if (commandLine.ConfigFile is { } configFile)
        {
            // A config file sits under the flags: flags given on the command line still win.
            builder.Configuration.AddJsonFile(StartupConfiguration.ConfigFilePath(configFile, contentRoot), optional: false, reloadOnChange: false);
            builder.Configuration.AddInMemoryCollection(commandLine.Settings);
        }

        var options = StartupConfiguration.Load(builder.Configuration, commandLine);
        var listen = ListenAddress(options);

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            RequestLimits.ApplyTo(kestrel.Limits);
            kestrel.Listen(listen.Address, listen.Port, KestrelRejectionBodies.Apply);
        });

        builder.Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(options));
        AddServices(builder.Services, options);
        builder.Services.AddKeyLimits(options);
        AddStartupServices(builder.Services, options);
        StorageRegistration.AddStorage(builder.Services, options);
        builder.Services.AddUsageLedger(options);
        builder.Services.AddStoredResponses();
        builder.Services.AddTelemetry(options);
        builder.Services.AddDashboard(options);
        builder.Services.AddMessageBatches(options);
        builder.Services.AddWebFetch(options);
        builder.AddConfigurationReload(commandLine, contentRoot);
        builder.Services.AddServerTools(options);
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
        services.AddSingleton<OverheadMetrics>();
        KeysSetup.AddKeys(services);
        services.AddSingleton<UpstreamRegistry>();
        services.AddSingleton<ModelCatalog>();
        services.AddPools();
        services.AddSingleton<ModelDirectory>();

        // Egress: one implementation per upstream API, picked per route by the upstream's Api setting.
        services.AddSingleton<ServerTokenizer>();
        services.AddSingleton<ServerModelInfo>();
        services.AddSingleton<IModelUpstream, OpenAiChatUpstream>();
        services.AddAnthropicUpstreams();

        // The pipeline every front door runs requests through.
        services.AddSingleton<UpstreamApis>();
        services.AddSingleton<TokenCounter>();
        services.AddSingleton<IAdmissionPolicy, AdmitAll>();
        services.AddSingleton<UpstreamForwarder>();
        services.AddSingleton<DrainSignal>();
        services.AddSingleton<StreamStage>();
        services.AddSingleton<MessagePipeline>();

        // The Anthropic Messages front door.
        services.AddSingleton<AnthropicDoor>();
        services.AddSingleton<MessagesEndpoint>();

        // The OpenAI Chat Completions front door.
        services.AddSingleton<ChatCompletionsDoor>();
        services.AddSingleton<ChatCompletionsEndpoint>();
        services.AddResponsesDoor();

        // The model list every door shares.
        services.AddSingleton<ModelLimits>();
        services.AddSingleton(new HeaderChosenDialect(AnthropicErrors.Dialect, OpenAIErrors.Instance));
        services.AddSingleton<ModelsEndpoint>();
        services.AddHostedService<LocalServerProbe>();
        ErrorHandling.AddErrorHandling(services);

        // Streams get the drain period after a stop signal; the host waits a little longer, so they end with an
        // error event of their own rather than a cut connection.
        services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(Math.Max(0, options.Shutdown.DrainSeconds) + 10));
    }

    private static void MapEndpoints(WebApplication app)
    {
        // Built now, so an upstream with an unknown Api stops start-up rather than its first request.
        _ = app.Services.GetRequiredService<UpstreamApis>();
        app.UseMiddleware<RequestLogMiddleware>();
        ErrorHandling.UseErrorHandling(app);
        UseCrossSiteProtection(app);
        app.UseMiddleware<ApiKeyMiddleware>();

        // Claude Code and load balancers probe these; they answer without a key.
        app.MapMethods("/", ["GET", "HEAD"], () => Results.Text("Switchboard\n"));
        app.MapMethods("/api/hello", ["GET", "HEAD"], () => Results.Ok());
        app.MapGet("/healthz", () => Results.Text(HealthBody, "application/json"));

        // Readiness: a load balancer stops sending requests here from the stop signal on.
        var drain = app.Services.GetRequiredService<DrainSignal>();
        app.MapGet("/healthz/ready", () => drain.IsStopping
            ? Results.Text("stopping\n", statusCode: StatusCodes.Status503ServiceUnavailable)
            : Results.Text("ready\n"));
        var drainPeriod = TimeSpan.FromSeconds(Math.Max(0, app.Services.GetRequiredService<SwitchboardOptions>().Shutdown.DrainSeconds));
        var time = app.Services.GetRequiredService<TimeProvider>();
        app.Lifetime.ApplicationStopping.Register(() => drain.BeginShutdown(drainPeriod, time));

        app.MapPost("/v1/messages", (HttpContext context, MessagesEndpoint endpoint) => endpoint.HandleAsync(context))
            .WithMetadata(AnthropicErrors.Dialect);
        app.MapPost("/v1/messages/count_tokens", (HttpContext context, MessagesEndpoint endpoint) => endpoint.CountTokensAsync(context))
            .WithMetadata(AnthropicErrors.Dialect);
        app.MapPost("/v1/chat/completions", (HttpContext context, ChatCompletionsEndpoint endpoint) => endpoint.HandleAsync(context))
            .WithMetadata(OpenAIErrors.Instance);
        app.MapResponsesDoor();
        var modelsDialect = app.Services.GetRequiredService<HeaderChosenDialect>();
        app.MapGet("/v1/models", (HttpContext context, ModelsEndpoint endpoint) => endpoint.ListAsync(context))
            .WithMetadata(modelsDialect);
        app.MapGet("/v1/models/{id}", (HttpContext context, string id, ModelsEndpoint endpoint) => endpoint.GetAsync(context, id))
            .WithMetadata(modelsDialect);
        app.MapStoredResponses();
        app.MapMessageBatches();
        KeysSetup.MapKeys(app);
        ReloadRegistration.MapConfigurationStatus(app);
        app.MapDashboard();
        ErrorHandling.MapFallback(app);
    }

    /// <summary>Loopback unless keys are configured: an open gateway must not be reachable from the network.</summary>
    internal static IPEndPoint ListenAddress(SwitchboardOptions options)
    {
        var address = options.Host switch
        {
            null or "" => options.ApiKeys.Count > 0 ? IPAddress.Any : IPAddress.Loopback,
            "localhost" => IPAddress.Loopback,
            var host => IPAddress.Parse(host),
        };
        return new IPEndPoint(address, options.Port);
    }

    private static void LogStarted(ILogger logger, WebApplication app, SwitchboardOptions options)
    {
        var urls = string.Join(", ", app.Urls);
        if (options.ApiKeys.Count == 0 && KeysSetup.StoredKeysRequired(app.Services))
        {
            KeysSetup.LogStoredKeysRequired(logger, ProductVersion.Value, urls);
        }
        else if (options.ApiKeys.Count == 0)
        {
            LogOpen(logger, ProductVersion.Value, urls);
        }
        else
        {
            LogListening(logger, ProductVersion.Value, urls, options.ApiKeys.Count);
        }

        var catalog = app.Services.GetRequiredService<ModelCatalog>();
        foreach (var model in catalog.Models)
        {
            var route = catalog.Resolve(model.Name);
            LogModel(logger, model.Name, route.Upstream.Name, route.Upstream.BaseUrl, route.UpstreamModel, route.Profile.Name, string.Join(", ", model.Aliases));
        }

        if (app.Services.GetRequiredService<ThinkingKey>() is { Configured: false, Stored: false })
        {
            LogRandomThinkingKey(logger);
        }
    }

    [LoggerMessage(EventId = 50, Level = LogLevel.Warning,
        Message = "Switchboard {Version} listening on {Urls} with no API keys configured: loopback only, every local client is allowed, cross-site browser requests are refused. Set --api-key or Switchboard:ApiKeys to accept network clients.")]
    private static partial void LogOpen(ILogger logger, string version, string urls);

    [LoggerMessage(EventId = 51, Level = LogLevel.Information, Message = "Switchboard {Version} listening on {Urls}; {KeyCount} API key(s) configured")]
    private static partial void LogListening(ILogger logger, string version, string urls, int keyCount);

    [LoggerMessage(EventId = 52, Level = LogLevel.Information, Message = "Model {Model} → upstream {Upstream} ({BaseUrl}) as {UpstreamModel}, profile {Profile}; aliases: [{Aliases}]")]
    private static partial void LogModel(ILogger logger, string model, string upstream, string baseUrl, string upstreamModel, string profile, string aliases);

    [LoggerMessage(EventId = 53, Level = LogLevel.Information,
        Message = "No Switchboard:ThinkingSignatureKey set: thinking signatures are valid for this process only. Set one shared key when running several instances.")]
    private static partial void LogRandomThinkingKey(ILogger logger);
}
