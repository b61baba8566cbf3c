using Switchboard.Configuration;

namespace Switchboard.Hosting.Cli;

/// <summary>
/// The storage settings a command uses, read like the server reads them — appsettings.json in the working
/// directory, environment variables (<c>Switchboard__Storage__PostgreSql</c>), <c>--config FILE</c> — with
/// <c>--data-dir</c> and <c>--postgres</c> on top.
/// </summary>
internal static class CliSettings
{
    public static readonly string[] Flags = ["--data-dir", "--postgres", "--config"];

    public static SwitchboardOptions Load(CliArguments args)
    {
        var contentRoot = Directory.GetCurrentDirectory();
        StartupConfiguration.CheckAppSettings(contentRoot);
        var environment = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? "Production";
        var builder = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(contentRoot, "appsettings.json"), optional: true)
            .AddJsonFile(Path.Combine(contentRoot, $"appsettings.{environment}.json"), optional: true)
            .AddEnvironmentVariables();
        if (args.Value("--config") is { } configFile)
        {
            builder.AddJsonFile(StartupConfiguration.ConfigFilePath(configFile, contentRoot), optional: false);
        }

        var flags = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (args.Value("--data-dir") is { } dataDirectory)
        {
            flags[$"{SwitchboardOptions.Section}:Storage:DataDirectory"] = Path.GetFullPath(dataDirectory, contentRoot);
        }

        if (args.Value("--postgres") is { } postgres)
        {
            flags[$"{SwitchboardOptions.Section}:Storage:PostgreSql"] = postgres;
        }

        var configuration = builder.AddInMemoryCollection(flags).Build();
        var options = new SwitchboardOptions();
        configuration.GetSection($"{SwitchboardOptions.Section}:Storage").Bind(options.Storage);
        configuration.GetSection($"{SwitchboardOptions.Section}:Tenancy").Bind(options.Tenancy);
        return options;
    }
}
