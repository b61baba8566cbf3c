namespace Switchboard.Configuration;

/// <summary>What one configuration reload did.</summary>
/// <param name="Trigger"><c>file</c> (a configuration file changed) or <c>signal</c> (SIGHUP).</param>
/// <param name="Applied">True when the new upstreams and models are in use; false when the running ones were kept.</param>
/// <param name="Problems">Why the new configuration was refused, in the words of the start-up checks.</param>
/// <param name="NeedsRestart">Settings that changed but only take effect at the next start.</param>
/// <param name="Summary">What changed, in a few words (models and upstreams added, changed, removed).</param>
public sealed record ReloadOutcome(
    DateTimeOffset At, string Trigger, bool Applied, IReadOnlyList<string> Problems, IReadOnlyList<string> NeedsRestart, string Summary);

/// <summary>The configuration's history since start: read by <c>GET /admin/v1/config</c>.</summary>
public sealed class ReloadState
{
    private ReloadOutcome? _last;
    private long _applied;
    private long _rejected;

    /// <summary>When the running upstreams and models were loaded (start, or the last applied reload).</summary>
    public DateTimeOffset LoadedAt { get; private set; }

    public ReloadOutcome? Last => Volatile.Read(ref _last);

    public long Applied => Interlocked.Read(ref _applied);

    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>The configuration files watched for changes (full paths).</summary>
    public IReadOnlyList<string> Files { get; set; } = [];

    public void Started(DateTimeOffset at) => LoadedAt = at;

    public void Record(ReloadOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Applied)
        {
            LoadedAt = outcome.At;
            Interlocked.Increment(ref _applied);
        }
        else
        {
            Interlocked.Increment(ref _rejected);
        }

        Volatile.Write(ref _last, outcome);
    }
}
