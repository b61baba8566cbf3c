using Switchboard.Egress;

namespace Switchboard.Routing.Pools;

/// <summary>
/// The active health check: every <c>ProbeIntervalSeconds</c>, a GET of <c>HealthPath</c> (default <c>/models</c>
/// under the base URL) on each upstream that serves a pool of more than one target; a 2xx is healthy, anything else
/// puts the upstream down until a probe succeeds or its cooldown ends. A model with one target is not probed: its
/// requests go to it whatever the probe would say. After a configuration reload the probes follow the new pools:
/// probes of upstreams no longer probed stop, new ones start, the others go on.
/// </summary>
public sealed partial class HealthProbe(ModelCatalog catalog, UpstreamHealthBoard board, TimeProvider time, ILogger<HealthProbe> logger)
    : BackgroundService
{
    /// <summary>A probe's own time limit, at most: a replica that cannot list its models in this long is not well.</summary>
    private static readonly TimeSpan MaxProbeTime = TimeSpan.FromSeconds(5);

    private readonly Dictionary<TargetHealth, (CancellationTokenSource Stop, Task Loop)> _running = [];
    private readonly Lock _runningLock = new();

    /// <summary>The upstreams probed: those that serve a pool of more than one target and have an interval set.</summary>
    public IReadOnlyList<TargetHealth> Probed => ProbedIn(catalog.Current);

    /// <summary>The upstreams whose probes run now.</summary>
    public IReadOnlyList<TargetHealth> Running
    {
        get
        {
            lock (_runningLock)
            {
                return [.. _running.Keys];
            }
        }
    }

    private static List<TargetHealth> ProbedIn(CatalogSnapshot snapshot) => [.. snapshot.Pools
        .Where(p => p.Targets.Count > 1)
        .SelectMany(p => p.Targets.Select(t => t.Health))
        .Distinct()
        .Where(h => h.Upstream.Options.ProbeIntervalSeconds > 0)];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var changed = new SemaphoreSlim(0);
        void OnChanged(CatalogSnapshot _) => changed.Release();
        catalog.Changed += OnChanged;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                Follow(catalog.Current, stoppingToken);
                await changed.WaitAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            catalog.Changed -= OnChanged;
            List<Task> loops;
            lock (_runningLock)
            {
                loops = [.. _running.Values.Select(r => r.Loop)];
                foreach (var (stop, _) in _running.Values)
                {
                    stop.Cancel();
                    stop.Dispose();
                }

                _running.Clear();
            }

            await Task.WhenAll(loops).ConfigureAwait(false);
        }
    }

    /// <summary>Starts the probes <paramref name="snapshot"/> needs that are not running, stops those it does not need.</summary>
    private void Follow(CatalogSnapshot snapshot, CancellationToken stoppingToken)
    {
        var wanted = ProbedIn(snapshot);
        lock (_runningLock)
        {
            foreach (var gone in _running.Keys.Where(h => !wanted.Contains(h)).ToList())
            {
                _running[gone].Stop.Cancel();
                _running[gone].Stop.Dispose();
                _running.Remove(gone);
            }

            foreach (var health in wanted.Where(h => !_running.ContainsKey(h)))
            {
                var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                _running[health] = (stop, LoopAsync(health, stop.Token));
            }
        }
    }

    private async Task LoopAsync(TargetHealth health, CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                // Read each time: a reload may change the interval of an upstream that stays probed.
                var interval = TimeSpan.FromSeconds(Math.Max(0.1, health.Upstream.Options.ProbeIntervalSeconds));
                await Task.Delay(interval, time, stoppingToken).ConfigureAwait(false);
                await ProbeAsync(health, interval, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping, or no longer probed.
        }
        catch (ObjectDisposedException) when (stoppingToken.IsCancellationRequested)
        {
            // Its token source was disposed as the probe stopped.
        }
    }

    /// <summary>One probe of one upstream; its outcome goes to the health board.</summary>
    public async Task ProbeAsync(TargetHealth health, TimeSpan interval, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(health);
        var upstream = health.Upstream;
        var limit = interval < MaxProbeTime ? interval : MaxProbeTime;
        using var timeout = new CancellationTokenSource(limit, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var request = new HttpRequestMessage(HttpMethod.Get, upstream.BaseUrl + upstream.Options.HealthPath);
        UpstreamProbeHeaders.Add(request, upstream.Options);

        string? failure;
        try
        {
            using var response = await upstream.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            failure = response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
        }
        catch (HttpRequestException exception)
        {
            failure = UpstreamFailure.Classify(exception).LogName();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            failure = "timed_out";
        }

        if (failure is null)
        {
            board.ProbeSucceeded(health);
        }
        else
        {
            LogProbeFailed(logger, upstream.Name, failure);
            board.ProbeFailed(health, failure);
        }
    }

    [LoggerMessage(EventId = 63, Level = LogLevel.Debug, Message = "Health probe of upstream {Upstream} failed: {Reason}")]
    private static partial void LogProbeFailed(ILogger logger, string upstream, string reason);
}
