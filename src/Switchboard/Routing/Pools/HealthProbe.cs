using Switchboard.Egress;

namespace Switchboard.Routing.Pools;

/// <summary>
/// The active health check: every <c>ProbeIntervalSeconds</c>, a GET of <c>HealthPath</c> (default <c>/models</c>
/// under the base URL) on each upstream that serves a pool of more than one target; a 2xx within the time limit is
/// healthy, anything else puts the upstream down until a probe succeeds or its cooldown ends. A model with one
/// target is not probed: its requests go to it whatever the probe would say.
/// </summary>
public sealed partial class HealthProbe(ModelCatalog catalog, UpstreamHealthBoard board, TimeProvider time, ILogger<HealthProbe> logger)
    : BackgroundService
{
    /// <summary>A probe's own time limit, at most: a replica that cannot list its models in this long is not well.</summary>
    private static readonly TimeSpan MaxProbeTime = TimeSpan.FromSeconds(5);

    /// <summary>The upstreams probed: those that serve a pool of more than one target and have an interval set.</summary>
    public IReadOnlyList<TargetHealth> Probed { get; } = [.. catalog.Pools
        .Where(p => p.Targets.Count > 1)
        .SelectMany(p => p.Targets.Select(t => t.Health))
        .Distinct()
        .Where(h => h.Upstream.Options.ProbeIntervalSeconds > 0)];

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Probed.Select(health => LoopAsync(health, stoppingToken)));

    private async Task LoopAsync(TargetHealth health, CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(health.Upstream.Options.ProbeIntervalSeconds);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(interval, time, stoppingToken).ConfigureAwait(false);
                await ProbeAsync(health, interval, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
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
