namespace Switchboard.Configuration;

/// <summary>One upstream serving a model of a pool (<see cref="ModelOptions.Targets"/>).</summary>
public sealed class TargetOptions
{
    /// <summary>A configured upstream's name.</summary>
    public string Upstream { get; set; } = "";

    /// <summary>The model name that upstream knows; defaults to the model's <see cref="ModelOptions.UpstreamModel"/>, then its name.</summary>
    public string? UpstreamModel { get; set; }

    /// <summary>Share of new requests relative to the other targets of the same priority.</summary>
    public double Weight { get; set; } = 1;

    /// <summary>Lower is preferred: targets of priority 1 get requests only when no target of priority 0 is healthy.</summary>
    public int Priority { get; set; }
}

/// <summary>Failover and conversation affinity across the targets of a pool (<c>Switchboard:Pools</c>).</summary>
public sealed class PoolOptions
{
    /// <summary>Targets one request may try before the client is told every target is down.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Time a request may spend failing over before it gives up.</summary>
    public double MaxFailoverSeconds { get; set; } = 30;

    /// <summary>The base wait before the next attempt, doubled per attempt, with jitter.</summary>
    public double BackoffMilliseconds { get; set; } = 50;

    /// <summary>Keep a conversation on the target that holds its prompt in cache while it is healthy and not overloaded.</summary>
    public bool Affinity { get; set; } = true;

    /// <summary>
    /// A conversation's target is passed over when its requests in flight reach this multiple of the pool's mean
    /// (plus one), so one busy session cannot overload a replica.
    /// </summary>
    public double AffinityLoadFactor { get; set; } = 1.25;
}
