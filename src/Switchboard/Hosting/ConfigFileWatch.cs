namespace Switchboard.Hosting;

/// <summary>
/// Watches configuration files for changes and calls back once they have been quiet for the debounce time. It
/// watches each file's directory, not the file: editors save by writing a new file and renaming it over the old one,
/// and Kubernetes swaps a symlinked directory (<c>..data</c>), which a watch on the file itself would not survive.
/// </summary>
internal sealed partial class ConfigFileWatch : IDisposable
{
    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly HashSet<string> _names;
    private readonly ITimer _quiet;
    private readonly TimeSpan _debounce;
    private readonly ILogger _logger;
    private int _errorLogged;

    public ConfigFileWatch(IReadOnlyList<string> files, TimeSpan debounce, TimeProvider time, Action changed, ILogger logger)
    {
        _debounce = debounce;
        _logger = logger;
        _names = new HashSet<string>(files.Select(Path.GetFileName).OfType<string>(), StringComparer.Ordinal);
        _quiet = time.CreateTimer(_ => changed(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        foreach (var directory in files.Select(Path.GetDirectoryName).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            if (!Directory.Exists(directory))
            {
                continue;
            }

            var watcher = new FileSystemWatcher(directory)
            {
                IncludeSubdirectories = false,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
            };
            watcher.Changed += OnEvent;
            watcher.Created += OnEvent;
            watcher.Deleted += OnEvent;
            watcher.Renamed += OnRenamed;
            watcher.Error += OnError;
            watcher.EnableRaisingEvents = true;
            _watchers.Add(watcher);
        }
    }

    private void OnEvent(object sender, FileSystemEventArgs e)
    {
        if (Concerns(e.Name))
        {
            Poke();
        }
    }

    private void OnRenamed(object sender, RenamedEventArgs e)
    {
        if (Concerns(e.Name) || Concerns(e.OldName))
        {
            Poke();
        }
    }

    /// <summary>A watched file, or Kubernetes' <c>..data</c> symlink swap; not the other files of a shared directory.</summary>
    private bool Concerns(string? name) => name is not null && (_names.Contains(name) || name.StartsWith("..", StringComparison.Ordinal));

    /// <summary>(Re)starts the quiet period: the callback comes once the writes have stopped.</summary>
    private void Poke() => _quiet.Change(_debounce, Timeout.InfiniteTimeSpan);

    private void OnError(object sender, ErrorEventArgs e)
    {
        // An overflowed event queue may have lost the change itself: look at the files anyway.
        Poke();
        if (Interlocked.Exchange(ref _errorLogged, 1) == 0)
        {
            LogWatchError(_logger, e.GetException().Message);
        }
    }

    public void Dispose()
    {
        foreach (var watcher in _watchers)
        {
            watcher.EnableRaisingEvents = false;
            watcher.Dispose();
        }

        _quiet.Dispose();
    }

    [LoggerMessage(EventId = 84, Level = LogLevel.Warning,
        Message = "Watching the configuration files failed ({Reason}); changes may be missed until the next one. Send SIGHUP to reload.")]
    private static partial void LogWatchError(ILogger logger, string reason);
}
