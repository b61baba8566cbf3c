using System.Globalization;
using StackExchange.Redis;
using Switchboard.Configuration;
using Switchboard.Tenancy;
using Switchboard.Tenancy.Limits;

namespace Switchboard.Storage.Redis;

/// <summary>
/// Per-key counters in Redis (<c>Storage:Redis</c>), shared by every Switchboard process using the same server: one
/// script call per admission and one per completion (<see cref="RedisLimitScripts"/>), plus one per second at most
/// while an answer streams (its output so far), over the process's <see cref="RedisConnection"/>; while it is not
/// connected, <see cref="IsAvailable"/> is false and admissions use per-process counters without waiting for it.
/// </summary>
public sealed partial class RedisLimitCounters : ISharedLimitCounterStore
{
    /// <summary>
    /// How long a concurrency lease lives without news of its request (renewed by every output charge), so the slot
    /// of a request whose process died comes back.
    /// </summary>
    internal static readonly TimeSpan LeaseLifetime = TimeSpan.FromMinutes(10);

    private readonly RedisConnection _redis;
    private readonly ILogger<RedisLimitCounters> _logger;

    public RedisLimitCounters(RedisConnection redis, ILogger<RedisLimitCounters> logger)
    {
        ArgumentNullException.ThrowIfNull(redis);
        _redis = redis;
        _logger = logger;
    }

    public string Location => _redis.Location;

    public bool IsAvailable => _redis.Current is not null;

    /// <summary>Output of a streaming answer is sent to Redis at most this often (or every twentieth of the limit).</summary>
    public TimeSpan OutputChargeInterval => TimeSpan.FromSeconds(1);

    /// <summary>Waits until the first connection attempt has ended (for tests and start-up checks).</summary>
    public Task<bool> WaitForConnectionAsync() => _redis.WaitForConnectionAsync();

    public async ValueTask<CounterDecision> AcquireAsync(CounterRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var limits = request.Limits;
        var result = await RunAsync(RedisLimitScripts.Admit, request.KeyId,
        [
            Cap(limits.RequestsPerMinute), Cap(limits.InputTokensPerMinute), Cap(limits.OutputTokensPerMinute), Cap(limits.Concurrency),
            request.InputEstimate, request.LeaseId, (long)LeaseLifetime.TotalMilliseconds,
        ]);

        // Not abandoned when the client leaves: an admission Redis made must reach its lease, which releases the
        // slot (the call is bounded by the one-second timeout anyway).
        _ = cancellationToken;
        var values = (RedisResult[])result!;
        var refusedBy = (int)values[0] switch
        {
            0 => LimitKind.None,
            1 => LimitKind.Concurrency,
            2 => LimitKind.Requests,
            3 => LimitKind.InputTokens,
            _ => LimitKind.OutputTokens,
        };
        var waitMs = Number(values[1]);
        var wait = waitMs < 0 ? TimeSpan.MaxValue : TimeSpan.FromMilliseconds(waitMs);
        var levels = new CounterLevels(Number(values[2]), Number(values[3]), Number(values[4]), (int)values[5]);
        return new CounterDecision(refusedBy == LimitKind.None, refusedBy, wait, levels, new CounterTicket(this, request.KeyId, request.LeaseId, limits, null));
    }

    public async ValueTask<CounterLevels> PeekAsync(string keyId, KeyLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var result = await RunAsync(RedisLimitScripts.Peek, keyId,
            [Cap(limits.RequestsPerMinute), Cap(limits.InputTokensPerMinute), Cap(limits.OutputTokensPerMinute)]).WaitAsync(cancellationToken);
        var values = (RedisResult[])result!;
        return new CounterLevels(Number(values[0]), Number(values[1]), Number(values[2]), (int)values[3]);
    }

    public void Charge(in CounterTicket ticket, long inputTokens, long outputTokens, bool release)
    {
        var limits = ticket.Limits;
        var sent = RunAsync(RedisLimitScripts.Charge, ticket.KeyId,
        [
            Cap(limits.RequestsPerMinute), Cap(limits.InputTokensPerMinute), Cap(limits.OutputTokensPerMinute),
            inputTokens, outputTokens, ticket.LeaseId, release ? 1 : 0, (long)LeaseLifetime.TotalMilliseconds,
        ]);

        // Never waited on: a charge that cannot reach Redis is lost (the lease then expires on its own).
        _ = sent.ContinueWith(
            static (task, state) => ((RedisLimitCounters)state!).ChargeFailed(task.Exception!),
            this, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>The key names of one API key: its buckets and its leases, in one cluster slot.</summary>
    internal static RedisKey[] Keys(string keyId) =>
    [
        RedisLimitScripts.KeyPrefix + "{" + keyId + "}:buckets",
        RedisLimitScripts.KeyPrefix + "{" + keyId + "}:leases",
    ];

    private async Task<RedisResult> RunAsync(string script, string keyId, RedisValue[] arguments)
    {
        var connection = _redis.Current;
        if (connection is null)
        {
            throw new LimitStoreUnavailableException($"The shared rate-limit store ({Location}) is not connected");
        }

        try
        {
            return await connection.GetDatabase().ScriptEvaluateAsync(script, Keys(keyId), arguments).ConfigureAwait(false);
        }
        catch (Exception failure) when (failure is RedisException or ObjectDisposedException)
        {
            throw new LimitStoreUnavailableException($"The shared rate-limit store ({Location}) did not answer", failure);
        }
    }

    private void ChargeFailed(AggregateException failure)
    {
        if (failure.InnerException is not LimitStoreUnavailableException)
        {
            LogChargeFailed(_logger, failure.InnerException ?? failure, Location);
        }
    }

    private static RedisValue Cap(long? limit) => limit ?? -1;

    private static double Number(RedisResult value) => double.Parse((string)value!, NumberStyles.Float, CultureInfo.InvariantCulture);

    [LoggerMessage(EventId = 117, Level = LogLevel.Warning, Message = "A charge to the shared rate-limit store ({Store}) failed")]
    private static partial void LogChargeFailed(ILogger logger, Exception exception, string store);
}
