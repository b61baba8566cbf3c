namespace Switchboard.Configuration;

/// <summary>
/// The Message Batches API: how much of the gateway batch requests may use, how long a batch may run and how long its
/// results are kept. See docs/BATCHES.md.
/// </summary>
public sealed class BatchesOptions
{
    /// <summary>Serve <c>/v1/messages/batches</c> and run batches. Off: the endpoints answer 404 and nothing runs.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Most batch requests one process runs at once, over all upstreams.</summary>
    public int MaxConcurrency { get; set; } = 8;

    /// <summary>Most batch requests one process runs at once against one upstream.</summary>
    public int MaxConcurrencyPerUpstream { get; set; } = 4;

    /// <summary>
    /// No new batch request starts on an upstream while this many interactive requests are in flight there (as the
    /// upstream health view reports them, batch requests subtracted). 0: never yield.
    /// </summary>
    public int YieldAtInteractiveInFlight { get; set; } = 8;

    /// <summary>How long a batch may run before its unfinished requests expire (Anthropic: 24 hours).</summary>
    public double ExpiryHours { get; set; } = 24;

    /// <summary>Days a batch and its results are kept after it ended; 0 keeps them for ever (Anthropic: 29).</summary>
    public int ResultRetentionDays { get; set; } = 29;

    /// <summary>Most requests in one batch (Anthropic: 100,000).</summary>
    public int MaxRequests { get; set; } = 100_000;

    /// <summary>Largest create body, in bytes (Anthropic: 256 MB); applies to <c>POST /v1/messages/batches</c> only.</summary>
    public long MaxBodyBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>
    /// How long a process holds a claimed request before another process sharing the store may run it again (the
    /// holder renews it while the request runs). A process that died leaves its requests to others after this.
    /// </summary>
    public double LeaseSeconds { get; set; } = 60;

    /// <summary>How often an idle runner looks for work and for batches to end.</summary>
    public double PollSeconds { get; set; } = 1;

    /// <summary>Attempts per request for failures worth retrying (overload, rate limit, 5xx) before it is <c>errored</c>.</summary>
    public int MaxAttempts { get; set; } = 3;
}
