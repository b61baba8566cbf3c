namespace Switchboard.Configuration;

/// <summary>Reloading the configuration while running (docs/CONFIGURATION.md, "Reloading configuration").</summary>
public sealed class ReloadOptions
{
    /// <summary>Reload when a configuration file changes on disk. Off: only on SIGHUP.</summary>
    public bool WatchFiles { get; set; } = true;

    /// <summary>How long the files must stay unchanged before they are read: an editor's save is several writes.</summary>
    public double DebounceSeconds { get; set; } = 0.5;
}
