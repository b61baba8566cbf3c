using Switchboard.Configuration;
using Switchboard.Egress.OpenAIChat.Profiles;

namespace Switchboard.Hosting;

/// <summary>
/// Reads and validates everything Switchboard needs before it listens: configuration files, the shape of the
/// <c>Switchboard</c> section, the quickstart flags, the rules of <see cref="SwitchboardOptionsValidator"/> and the
/// logging settings. Every problem goes into one <see cref="SwitchboardConfigurationException"/>.
/// </summary>
internal static class StartupConfiguration
{
    /// <summary>Upstream wire dialects Switchboard can speak.</summary>
    public static readonly string[] KnownApis = ["openai-chat", "anthropic"];

    private static readonly string[] LogLevels = Enum.GetNames<LogLevel>();

    private static readonly string[] ConsoleFormatters = ["simple", "json", "systemd"];

    /// <summary>Problems with the JSON files the host reads on its own (appsettings.json and its environment twin).</summary>
    public static void CheckAppSettings(string contentRoot)
    {
        var environment = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
            ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? "Production";
        var problems = new[] { "appsettings.json", $"appsettings.{environment}.json" }
            .Select(file => JsonConfigFile.Problem(Path.Combine(contentRoot, file), optional: true))
            .OfType<string>().ToList();
        if (problems.Count > 0)
        {
            throw new SwitchboardConfigurationException(problems);
        }
    }

    /// <summary>The <c>--config</c> file as a full path, checked to exist and parse.</summary>
    public static string ConfigFilePath(string configFile, string contentRoot)
    {
        var fullPath = Path.GetFullPath(configFile, contentRoot);
        if (JsonConfigFile.Problem(fullPath, optional: false) is { } problem)
        {
            throw new SwitchboardConfigurationException("--config: " + problem);
        }

        return fullPath;
    }

    /// <summary>Binds, completes with the quickstart flags and validates the options.</summary>
    public static SwitchboardOptions Load(IConfiguration configuration, CommandLine commandLine)
    {
        var section = configuration.GetSection(SwitchboardOptions.Section);
        var (problems, badKeys) = ConfigurationShape.Check(section, typeof(SwitchboardOptions));
        CheckRoots(configuration, problems);
        CheckLogging(configuration, problems);

        // Bad values are left out of binding, so the rules below judge the rest as configured rather than
        // report the same mistake again (an upstream with a bad timeout would otherwise seem missing).
        var options = new SwitchboardOptions();
        Clean(section, badKeys).Bind(options);
        commandLine.ApplyQuickstart(options);
        var profiles = ProfileCatalog.All.Select(p => p.Name).ToList();
        problems.AddRange(new SwitchboardOptionsValidator(profiles, KnownApis).Problems(options));
        if (problems.Count > 0)
        {
            throw new SwitchboardConfigurationException(problems);
        }

        return options;
    }

    private static IConfiguration Clean(IConfigurationSection section, HashSet<string> badKeys)
    {
        if (badKeys.Count == 0)
        {
            return section;
        }

        var kept = section.AsEnumerable()
            .Where(pair => !badKeys.Any(bad => pair.Key.Equals(bad, StringComparison.OrdinalIgnoreCase)
                || pair.Key.StartsWith(bad + ":", StringComparison.OrdinalIgnoreCase)));
        return new ConfigurationBuilder().AddInMemoryCollection(kept).Build().GetSection(SwitchboardOptions.Section);
    }

    /// <summary>A top-level section one or two letters from <c>Switchboard</c> is a misspelling, not someone else's setting.</summary>
    private static void CheckRoots(IConfiguration configuration, List<string> problems)
    {
        foreach (var root in configuration.GetChildren())
        {
            if (!root.Key.Equals(SwitchboardOptions.Section, StringComparison.OrdinalIgnoreCase) && root.Key.Length >= 8
                && DidYouMean.Closest(root.Key, [SwitchboardOptions.Section], maxDistance: 2) is not null)
            {
                problems.Add($"{root.Key}: unknown configuration section (did you mean '{SwitchboardOptions.Section}'?)");
            }
        }
    }

    /// <summary>Log levels and the console formatter, which the logging system would reject late or ignore.</summary>
    private static void CheckLogging(IConfiguration configuration, List<string> problems)
    {
        var logging = configuration.GetSection("Logging");
        var levelSections = new[] { logging.GetSection("LogLevel") }
            .Concat(logging.GetChildren().Select(provider => provider.GetSection("LogLevel")));
        foreach (var level in levelSections.SelectMany(s => s.GetChildren()))
        {
            if (level.Value is { Length: > 0 } value && !LogLevels.Contains(value, StringComparer.OrdinalIgnoreCase) && !int.TryParse(value, out _))
            {
                problems.Add($"{level.Path}: '{value}' is not a log level ({string.Join(", ", LogLevels)})");
            }
        }

        if (logging["Console:FormatterName"] is { Length: > 0 } formatter && !ConsoleFormatters.Contains(formatter, StringComparer.OrdinalIgnoreCase))
        {
            problems.Add($"Logging:Console:FormatterName: unknown formatter '{formatter}'{DidYouMean.Hint(formatter, ConsoleFormatters)}; known: {string.Join(", ", ConsoleFormatters)}");
        }
    }
}
