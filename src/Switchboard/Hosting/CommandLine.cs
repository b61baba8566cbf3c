using System.Globalization;
using System.Net;
using Switchboard.Configuration;

namespace Switchboard.Hosting;

/// <summary>
/// The command line: the quickstart flags (<c>--upstream URL --model NAME [--upstream-key K] [--api-key K]
/// [--port N] [--host H] [--config FILE]</c>), <c>--help</c>, <c>--version</c>, and any configuration key as
/// <c>--Section:Key=value</c> or <c>--Section:Key value</c> (a key path always has a colon, so a mistyped flag
/// such as <c>--modle</c> is an error rather than a setting nobody reads). Flags take <c>--flag value</c> or
/// <c>--flag=value</c>.
/// </summary>
internal sealed class CommandLine
{
    /// <summary>Top-level configuration sections Switchboard reads; a key under a near miss of one is refused.</summary>
    private static readonly string[] KnownRoots = [SwitchboardOptions.Section, "Logging"];

    private static readonly string[] ValueFlags =
        ["--upstream", "--model", "--upstream-key", "--api-key", "--port", "--host", "--config", "--data-dir", "--postgres", "--redis", "--admin-token",
            "--metrics-port", "--log-format"];

    /// <summary>Flags that are one configuration key each.</summary>
    private static readonly (string Flag, string Key)[] SettingFlags =
    [
        ("--data-dir", SwitchboardOptions.Section + ":Storage:DataDirectory"),
        ("--postgres", SwitchboardOptions.Section + ":Storage:PostgreSql"),
        ("--redis", SwitchboardOptions.Section + ":Storage:Redis"),
        ("--admin-token", SwitchboardOptions.Section + ":Admin:Token"),
        ("--metrics-port", SwitchboardOptions.Section + ":Telemetry:MetricsPort"),
        ("--log-format", "Logging:Console:FormatterName"),
    ];

    private static readonly string[] SwitchFlags = ["--help", "--version"];

    public bool Help { get; private init; }

    public bool Version { get; private init; }

    public string? Upstream { get; private init; }

    public string? Model { get; private init; }

    public string? UpstreamKey { get; private init; }

    public string? ApiKey { get; private init; }

    public string? ConfigFile { get; private init; }

    /// <summary>Configuration keys given on the command line, <c>--port</c> and <c>--host</c> included.</summary>
    public Dictionary<string, string?> Settings { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Parses <paramref name="args"/>; throws <see cref="SwitchboardConfigurationException"/> listing every mistake.</summary>
    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var problems = new List<string>();
        var flags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        bool help = false, version = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "-?" or "--help")
            {
                help = true;
                continue;
            }

            if (arg == "--version")
            {
                version = true;
                continue;
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                problems.Add($"unexpected argument '{arg}': flags start with -- (see --help)");
                continue;
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? arg : arg[..equals];
            string? Value()
            {
                if (equals >= 0)
                {
                    return arg[(equals + 1)..];
                }

                if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    return args[++i];
                }

                problems.Add($"{name} needs a value (see --help)");
                return null;
            }

            if (ValueFlags.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                if (Value() is { } value)
                {
                    flags[name.ToLowerInvariant()] = value;
                }
            }
            else if (name.Contains(':', StringComparison.Ordinal))
            {
                var key = name[2..];
                var root = key.Split(':')[0];
                if (!KnownRoots.Contains(root, StringComparer.OrdinalIgnoreCase) && DidYouMean.Closest(root, KnownRoots) is { } meant)
                {
                    problems.Add($"{name}: unknown configuration section '{root}' (did you mean '{meant}'?)");
                    _ = Value();
                }
                else
                {
                    settings[key] = Value();
                }
            }
            else
            {
                problems.Add($"unknown flag '{name}'{DidYouMean.Hint(name, ValueFlags.Concat(SwitchFlags))} (see --help; configuration keys are given as --Section:Key=value)");
                if (equals < 0 && i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    i++; // most likely the unknown flag's value: one mistake, one line
                }
            }
        }

        CheckFlags(flags, problems);
        if (problems.Count > 0)
        {
            throw new SwitchboardConfigurationException(problems);
        }

        var commandLine = new CommandLine
        {
            Help = help,
            Version = version,
            Upstream = flags.GetValueOrDefault("--upstream"),
            Model = flags.GetValueOrDefault("--model"),
            UpstreamKey = flags.GetValueOrDefault("--upstream-key"),
            ApiKey = flags.GetValueOrDefault("--api-key"),
            ConfigFile = flags.GetValueOrDefault("--config"),
        };
        foreach (var (key, value) in settings)
        {
            commandLine.Settings[key] = value;
        }

        if (flags.TryGetValue("--port", out var port))
        {
            commandLine.Settings[SwitchboardOptions.Section + ":Port"] = port;
        }

        if (flags.TryGetValue("--host", out var host))
        {
            commandLine.Settings[SwitchboardOptions.Section + ":Host"] = host;
        }

        foreach (var (flag, key) in SettingFlags)
        {
            if (flags.TryGetValue(flag, out var value))
            {
                commandLine.Settings[key] = flag == "--data-dir" ? Path.GetFullPath(value) : value;
            }
        }

        return commandLine;
    }

    private static void CheckFlags(Dictionary<string, string> flags, List<string> problems)
    {
        if (flags.TryGetValue("--port", out var port)
            && (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number > 65535))
        {
            problems.Add($"--port: '{port}' is not a port number (0-65535; 0 picks a free port)");
        }

        if (flags.TryGetValue("--log-format", out var format) && format is not ("simple" or "json" or "systemd"))
        {
            problems.Add($"--log-format: '{format}' is not a console log format (simple, json or systemd)");
        }

        if (flags.TryGetValue("--host", out var host) && host != "localhost" && !IPAddress.TryParse(host, out _))
        {
            problems.Add($"--host: '{host}' is not an IP address or 'localhost' (e.g. 127.0.0.1, 0.0.0.0, ::)");
        }

        if (flags.TryGetValue("--upstream", out var upstream)
            && !(Uri.TryCreate(upstream, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0))
        {
            problems.Add($"--upstream: '{upstream}' is not an http(s) URL (e.g. http://127.0.0.1:8000/v1)");
        }

        foreach (var flag in new[] { "--model", "--api-key", "--upstream-key", "--config", "--data-dir", "--postgres", "--redis", "--admin-token" })
        {
            if (flags.TryGetValue(flag, out var value) && string.IsNullOrWhiteSpace(value))
            {
                problems.Add($"{flag}: must not be empty");
            }
        }

        if (flags.ContainsKey("--model") && !flags.ContainsKey("--upstream"))
        {
            problems.Add("--model needs --upstream URL: the model is served by that upstream");
        }

        if (flags.ContainsKey("--upstream-key") && !flags.ContainsKey("--upstream"))
        {
            problems.Add("--upstream-key needs --upstream URL (for configured upstreams set Switchboard:Upstreams:<name>:ApiKey)");
        }
    }

    /// <summary>
    /// Folds the quickstart flags into the options: the upstream named <c>default</c> gets the URL and key (its other
    /// settings, from files or keys, stay), and one model that answers to every name.
    /// </summary>
    public void ApplyQuickstart(SwitchboardOptions options)
    {
        if (ApiKey is { Length: > 0 } apiKey)
        {
            options.ApiKeys.Add(apiKey);
        }

        if (Upstream is not { Length: > 0 } upstream)
        {
            return;
        }

        if (!options.Upstreams.TryGetValue("default", out var settings))
        {
            settings = new UpstreamOptions();
            options.Upstreams["default"] = settings;
        }

        settings.BaseUrl = upstream;
        if (UpstreamKey is { Length: > 0 } upstreamKey)
        {
            settings.ApiKey = upstreamKey;
        }

        if (Model is not { Length: > 0 } model)
        {
            return;
        }

        // Settings given for this model elsewhere (by name, or an unnamed first entry) refine the quickstart model.
        var entry = options.Models.Find(m => m.Name == model) ?? options.Models.Find(m => m.Name.Length == 0);
        if (entry is null)
        {
            entry = new ModelOptions();
            options.Models.Insert(0, entry);
        }

        entry.Name = model;
        entry.Upstream ??= "default";
        entry.UpstreamModel ??= model;
        if (entry.Aliases.Count == 0)
        {
            entry.Aliases.Add("*");
        }
    }

    public static readonly string Usage = UsageTemplate.Replace("{{COMMANDS}}", Cli.CliHelp.Commands, StringComparison.Ordinal);

    private const string UsageTemplate = """
        Usage: switchboard [flags] [--Section:Key=value ...]
               switchboard keys|usage ... (see Commands below)

        Serves Anthropic's Messages API (/v1/messages) in front of OpenAI-compatible model servers.

        Quickstart flags:
          --upstream URL        an OpenAI-compatible base URL, usually ending in /v1 (e.g. http://127.0.0.1:8000/v1);
                                becomes the upstream named 'default'
          --model NAME          the upstream's model name; every model name a client asks for routes to it
          --upstream-key KEY    sent to the upstream as 'Authorization: Bearer KEY'
          --api-key KEY         clients must present KEY (x-api-key or Bearer); without any key Switchboard
                                listens on loopback only and refuses cross-site browser requests
          --port N              listening port (default 4000; 0 picks a free port)
          --host ADDR           listening address: an IP address or localhost
                                (default: loopback without keys, every interface with keys)
          --config FILE         a JSON configuration file (relative to the working directory)

        Storage and administration (docs/TENANCY.md):
          --data-dir DIR        where the SQLite store (keys, usage ledger) lives
                                (Switchboard:Storage:DataDirectory; default ~/.local/share/switchboard)
          --postgres CONN       keep keys and the ledger in PostgreSQL instead (Switchboard:Storage:PostgreSql),
                                for several Switchboard processes sharing them
          --redis CONN          Redis for rate-limit counters shared by several processes (Switchboard:Storage:Redis)
          --admin-token TOKEN   serve the admin API under /admin/v1/ to 'Authorization: Bearer TOKEN'
                                (Switchboard:Admin:Token); without it the admin API is not served

        Observability (docs/OBSERVABILITY.md):
          --metrics-port N      serve GET /metrics (Prometheus) on port N, without a token; by default it is on
                                the main port behind --admin-token (Switchboard:Telemetry:MetricsPort)
          --log-format FORMAT   console log format: simple (one line per request) or json (the same fields as
                                JSON, with the trace id) (Logging:Console:FormatterName)
          OTEL_EXPORTER_OTLP_ENDPOINT  (environment) also send metrics and traces over OTLP

        {{COMMANDS}}

        Other:
          -h, --help            show this help and exit
          --version             show the version and exit
          --Section:Key=value   any configuration key, e.g. --Switchboard:Upstreams:default:TimeoutSeconds=30
                                or --Logging:Console:FormatterName=json (also '--Section:Key value')

        Configuration is read from appsettings.json in the working directory, environment variables
        (Switchboard__Port=4100), the --config file, then the command line; later sources win.
        Every setting, its default and what is rejected: docs/CONFIGURATION.md
        """;
}
