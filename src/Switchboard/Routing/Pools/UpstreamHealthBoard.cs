using Switchboard.Egress;

namespace Switchboard.Routing.Pools;

/// <summary>
/// The health of every configured upstream, shared by all the pools that use it (an upstream is one replica,
/// whichever models it serves). Writes a log line when an upstream goes out and when it comes back; read by the
/// admin API, the dashboard and the metrics through <see cref="IUpstreamHealthView"/>.
/// </summary>
public sealed partial class UpstreamHealthBoard : IUpstreamHealthView
{
    private readonly TimeProvider _time;
    private readonly ILogger<UpstreamHealthBoard> _logger;
    private readonly Lock _applying = new();
    private Tracked _tracked;

    public UpstreamHealthBoard(UpstreamRegistry upstreams, TimeProvider time, ILogger<UpstreamHealthBoard> logger)
    {
        ArgumentNullException.ThrowIfNull(upstreams);
        _time = time;
        _logger = logger;
        _tracked = Track(upstreams.Current, null);
    }

    /// <summary>Every upstream tracked now, in configuration order.</summary>
    public IReadOnlyList<TargetHealth> All => Volatile.Read(ref _tracked).All;

    public TimeProvider Time => _time;

    public TargetHealth For(UpstreamEndpoint upstream)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        return Volatile.Read(ref _tracked).ByName.TryGetValue(upstream.Name, out var health) && ReferenceEquals(health.Upstream, upstream)
            ? health
            : throw new InvalidOperationException($"Upstream '{upstream.Name}' is not tracked");
    }

    /// <summary>
    /// Tracks a reloaded configuration's upstreams: the same server (name, base URL, API) keeps its health, its
    /// requests in flight and its cooldown, with its new settings; a new one starts unknown; a removed one is dropped
    /// (requests still running on it finish against the health they hold).
    /// </summary>
    public void Apply(UpstreamSet upstreams)
    {
        ArgumentNullException.ThrowIfNull(upstreams);
        lock (_applying)
        {
            Volatile.Write(ref _tracked, Track(upstreams, Volatile.Read(ref _tracked)));
        }
    }

    private static Tracked Track(UpstreamSet upstreams, Tracked? previous)
    {
        var byName = new Dictionary<string, TargetHealth>(StringComparer.OrdinalIgnoreCase);
        var all = new List<TargetHealth>();
        foreach (var upstream in upstreams.All)
        {
            TargetHealth health;
            if (previous is not null && previous.ByName.TryGetValue(upstream.Name, out var known) && known.Tracks(upstream))
            {
                known.Rebind(upstream);
                health = known;
            }
            else
            {
                health = new TargetHealth(upstream);
            }

            byName[upstream.Name] = health;
            all.Add(health);
        }

        return new Tracked(byName, all);
    }

    public IReadOnlyList<UpstreamHealthReport> Report()
    {
        var now = _time.GetUtcNow();
        return [.. All.Select(h => h.Report(now))];
    }

    public void Succeeded(TargetHealth health)
    {
        ArgumentNullException.ThrowIfNull(health);
        if (health.Succeeded())
        {
            LogBack(_logger, health.Name, "a request succeeded");
        }
    }

    public void Failed(TargetHealth health, UpstreamFailureKind kind, int? retryAfterSeconds)
    {
        ArgumentNullException.ThrowIfNull(health);
        if (health.Failed(kind, retryAfterSeconds, _time.GetUtcNow()) is { } cooldown)
        {
            LogCooling(_logger, health.Name, kind.LogName(), cooldown.TotalSeconds);
        }
    }

    public void ProbeSucceeded(TargetHealth health)
    {
        ArgumentNullException.ThrowIfNull(health);
        if (health.ProbeSucceeded(_time.GetUtcNow()))
        {
            LogBack(_logger, health.Name, "its health probe succeeded");
        }
    }

    public void ProbeFailed(TargetHealth health, string reason)
    {
        ArgumentNullException.ThrowIfNull(health);
        if (health.ProbeFailed(reason, _time.GetUtcNow()) is { } cooldown)
        {
            LogDown(_logger, health.Name, reason, cooldown.TotalSeconds);
        }
    }

    [LoggerMessage(EventId = 60, Level = LogLevel.Warning,
        Message = "Upstream {Upstream} is cooling down after a failure ({Kind}) for {Seconds:0.#} s: its pools send new requests to other targets meanwhile")]
    private static partial void LogCooling(ILogger logger, string upstream, string kind, double seconds);

    [LoggerMessage(EventId = 61, Level = LogLevel.Warning,
        Message = "Upstream {Upstream} is down: its health probe failed ({Reason}); cooling down for {Seconds:0.#} s")]
    private static partial void LogDown(ILogger logger, string upstream, string reason, double seconds);

    [LoggerMessage(EventId = 62, Level = LogLevel.Information, Message = "Upstream {Upstream} is back: {Why}")]
    private static partial void LogBack(ILogger logger, string upstream, string why);

    private sealed record Tracked(Dictionary<string, TargetHealth> ByName, List<TargetHealth> All);
}
