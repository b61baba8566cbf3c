using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Threading.Channels;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;
using Switchboard.Configuration;
using Switchboard.Routing;

namespace Switchboard.Hosting;

/// <summary>
/// Reloads upstreams and models while Switchboard runs: when a configuration file changes (debounced; only when its
/// contents did) and on SIGHUP. Reads every configuration source again the way start-up did, checks the result with
/// the same checks, and either puts it in service through <see cref="RoutingReload"/> or keeps the running
/// configuration and logs one warning with every problem. Changed settings a reload cannot apply are named as needing
/// a restart.
/// </summary>
internal sealed partial class ConfigurationReloader : BackgroundService
{
    public const string FileTrigger = "file";

    public const string SignalTrigger = "signal";

    private readonly ReloadInputs _inputs;
    private readonly RoutingReload _routing;
    private readonly ReloadState _state;
    private readonly TimeProvider _time;
    private readonly ILogger<ConfigurationReloader> _logger;
    private readonly ReloadOptions _options;
    private readonly Lock _gate = new();
    private ConfigFileWatch? _watch;
    private PosixSignalRegistration? _hangup;
    private readonly Channel<string> _requests = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<string, string?> _startValues;
    private readonly List<WatchedFile> _files;
    private string _fingerprint;

    public ConfigurationReloader(ReloadInputs inputs, SwitchboardOptions options, RoutingReload routing, ReloadState state, TimeProvider time, ILogger<ConfigurationReloader> logger)
    {
        _inputs = inputs;
        _routing = routing;
        _state = state;
        _time = time;
        _logger = logger;
        _options = options.Reload;
        _files = Files(inputs);
        _startValues = RestartOnlySettings.Of(Fresh());
        _fingerprint = Fingerprint();
        state.Files = [.. _files.Select(f => f.FullPath)];
        state.Started(time.GetUtcNow());
    }

    /// <summary>Asks for a reload; it runs in the background, one at a time.</summary>
    public void Request(string trigger) => _requests.Writer.TryWrite(trigger);

    /// <summary>
    /// Arms the file watch and the signal before start-up completes (the runtime runs <see cref="ExecuteAsync"/> on a
    /// thread of its own, later), then looks at the files once: an edit made between reading them at start and
    /// arming the watch would otherwise go unnoticed until the next one.
    /// </summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _watch = _options.WatchFiles && _files.Count > 0
            ? new ConfigFileWatch([.. _files.Select(f => f.FullPath)], TimeSpan.FromSeconds(_options.DebounceSeconds), _time, () => Request(FileTrigger), _logger)
            : null;

        // SIGHUP is the Unix way to ask a daemon to reload (systemd's ExecReload); it would otherwise end the process.
        _hangup = OperatingSystem.IsWindows() ? null : PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            Request(SignalTrigger);
        });
        if (_watch is not null)
        {
            Request(FileTrigger);
        }

        return base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _watch?.Dispose();
        _hangup?.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var trigger in _requests.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                Reload(trigger);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>
    /// Reads, checks and applies the configuration now. A file change whose contents are the same as last read (a
    /// save without edits, a touch) is skipped and returns null; a signal always reloads.
    /// </summary>
    public ReloadOutcome? Reload(string trigger)
    {
        lock (_gate)
        {
            var fingerprint = Fingerprint();
            if (trigger == FileTrigger && fingerprint == _fingerprint)
            {
                return null;
            }

            _fingerprint = fingerprint;
            var outcome = Attempt(trigger);
            _state.Record(outcome);
            return outcome;
        }
    }

    private ReloadOutcome Attempt(string trigger)
    {
        var at = _time.GetUtcNow();
        var problems = new List<string>();
        foreach (var file in _files)
        {
            if (JsonConfigFile.Problem(file.FullPath, file.Optional) is { } problem)
            {
                problems.Add(file.IsConfigFlag ? "--config: " + problem : problem);
            }
        }

        SwitchboardOptions? next = null;
        IConfiguration? configuration = null;
        if (problems.Count == 0)
        {
            try
            {
                configuration = Fresh();
                next = StartupConfiguration.Load(configuration, _inputs.CommandLine);
            }
            catch (SwitchboardConfigurationException failure)
            {
                problems.AddRange(failure.Problems);
            }
            catch (Exception failure) when (failure is IOException or InvalidDataException or FormatException or UnauthorizedAccessException)
            {
                // The file changed again between the check and the read.
                problems.Add($"the configuration cannot be read: {failure.Message}");
            }
        }

        if (next is null || configuration is null)
        {
            LogRejected(_logger, trigger, string.Join("; ", problems));
            return new ReloadOutcome(at, trigger, false, problems, [], "");
        }

        var needsRestart = RestartOnlySettings.Changed(_startValues, RestartOnlySettings.Of(configuration));
        RoutingChange change;
        try
        {
            change = _routing.Apply(next);
        }
        catch (Exception failure) when (failure is InvalidOperationException or ArgumentException)
        {
            // The checks above should have refused whatever gets here; the running configuration is still whole.
            LogRejected(_logger, trigger, failure.Message);
            return new ReloadOutcome(at, trigger, false, [failure.Message], needsRestart, "");
        }

        var summary = change.Summary();
        LogApplied(_logger, trigger, summary);
        if (needsRestart.Count > 0)
        {
            LogNeedsRestart(_logger, string.Join(", ", needsRestart));
        }

        return new ReloadOutcome(at, trigger, true, [], needsRestart, summary);
    }

    /// <summary>Every configuration source read again, files from disk (without watches of their own).</summary>
    private IConfigurationRoot Fresh()
    {
        var builder = new ConfigurationBuilder();
        foreach (var source in _inputs.Configuration.Sources)
        {
            builder.Add(source is JsonConfigurationSource { Path: { } path } json
                ? new JsonConfigurationSource { FileProvider = json.FileProvider, Path = path, Optional = json.Optional, ReloadOnChange = false }
                : source);
        }

        return builder.Build();
    }

    /// <summary>A digest of every watched file's bytes: a change event that changed nothing is no reason to reload.</summary>
    private string Fingerprint()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in _files)
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(file.FullPath + "\n"));
            try
            {
                hash.AppendData(File.ReadAllBytes(file.FullPath));
            }
            catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
            {
                hash.AppendData("\0missing"u8);
            }
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }

    private static List<WatchedFile> Files(ReloadInputs inputs)
    {
        var files = new List<WatchedFile>();
        foreach (var source in inputs.Configuration.Sources.OfType<JsonConfigurationSource>())
        {
            if (source.FileProvider is PhysicalFileProvider physical && source.Path is { Length: > 0 } path)
            {
                var full = Path.GetFullPath(Path.Combine(physical.Root, path));
                files.Add(new WatchedFile(full, source.Optional,
                    inputs.ConfigFile is { } configFile && string.Equals(full, configFile, StringComparison.Ordinal)));
            }
        }

        return files;
    }

    private sealed record WatchedFile(string FullPath, bool Optional, bool IsConfigFlag);

    [LoggerMessage(EventId = 80, Level = LogLevel.Information, Message = "Configuration reloaded ({Trigger}): {Summary}")]
    private static partial void LogApplied(ILogger logger, string trigger, string summary);

    [LoggerMessage(EventId = 81, Level = LogLevel.Warning,
        Message = "Configuration not reloaded ({Trigger}): the running configuration is kept. Problems: {Problems}")]
    private static partial void LogRejected(ILogger logger, string trigger, string problems);

    [LoggerMessage(EventId = 82, Level = LogLevel.Warning,
        Message = "Configuration changes to {Settings} need a restart: the running values are kept until then")]
    private static partial void LogNeedsRestart(ILogger logger, string settings);
}

/// <summary>What a reload reads again: the configuration's sources, the quickstart flags, the <c>--config</c> file.</summary>
internal sealed record ReloadInputs(IConfigurationBuilder Configuration, CommandLine CommandLine, string? ConfigFile);
