using System.Globalization;
using StackExchange.Redis;
using Switchboard.Configuration;
using Switchboard.Tenancy;
using Switchboard.Tenancy.Limits;

namespace Switchboard.Storage.Limits;

/// <summary>
/// Per-key counters in Redis (<c>Storage:Redis</c>), shared by every Switchboard process using the same server: one
/// script call per admission and one per completion (<see cref="RedisLimitScripts"/>), plus one per second at most
/// while an answer streams (its output so far). Connects in the background and reconnects on its own; while it is
/// not connected, <see cref="IsAvailable"/> is false and admissions use per-process counters without waiting for
/// it. Commands fail fast rather than queue while disconnected, and time out after a second.
/// </summary>
public sealed partial class RedisLimitCounters : ISharedLimitCounterStore, IAsyncDisposable
{
    /// <summary>
    /// How long a concurrency lease lives without news of its request (renewed by every output charge), so the slot
    /// of a request whose process died comes back.
    /// </summary>
    internal static readonly TimeSpan LeaseLifetime = TimeSpan.FromMinutes(10);

    private readonly ConfigurationOptions _configuration;
    private readonly ILogger<RedisLimitCounters> _logger;
    private readonly Task<ConnectionMultiplexer?> _connecting;
    private ConnectionMultiplexer? _connection;

    public RedisLimitCounters(SwitchboardOptions options, ILogger<RedisLimitCounters> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _logger = logger;
        _configuration = ConfigurationOptions.Parse(options.Storage.Redis ?? throw new InvalidOperationException("Storage:Redis is not set"));
        _configuration.AbortOnConnectFail = false;
        _configuration.BacklogPolicy = BacklogPolicy.FailFast;
        _configuration.ConnectTimeout = Math.Min(_configuration.ConnectTimeout, 2000);
        _configuration.SyncTimeout = Math.Min(_configuration.SyncTimeout, 1000);
        _configuration.AsyncTimeout = Math.Min(_configuration.AsyncTimeout, 1000);
        _configuration.ReconnectRetryPolicy = new LinearRetry(500);
        _configuration.ClientName ??= "switchboard";
        Location = string.Join(",", _configuration.EndPoints.Select(e => e.ToString()));
        _connecting = ConnectAsync();
    }

    public string Location { get; }

    public bool IsAvailable => _connection?.IsConnected == true;

    /// <summary>Output of a streaming answer is sent to Redis at most this often (or every twentieth of the limit).</summary>
    public TimeSpan OutputChargeInterval => TimeSpan.FromSeconds(1);

    /// <summary>Waits until the first connection attempt has ended (for tests and start-up checks).</summary>
    public Task<bool> WaitForConnectionAsync() => _connecting.ContinueWith(_ => IsAvailable, TaskScheduler.Default);

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

    public async ValueTask DisposeAsync()
    {
        if (await _connecting is { } connection)
        {
            await connection.DisposeAsync();
        }
    }

    /// <summary>The key names of one API key: its buckets and its leases, in one cluster slot.</summary>
    internal static RedisKey[] Keys(string keyId) =>
    [
        RedisLimitScripts.KeyPrefix + "{" + keyId + "}:buckets",
        RedisLimitScripts.KeyPrefix + "{" + keyId + "}:leases",
    ];

    private async Task<RedisResult> RunAsync(string script, string keyId, RedisValue[] arguments)
    {
        var connection = _connection;
        if (connection is null || !connection.IsConnected)
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

    private async Task<ConnectionMultiplexer?> ConnectAsync()
    {
        try
        {
            var connection = await ConnectionMultiplexer.ConnectAsync(_configuration).ConfigureAwait(false);
            _connection = connection;
            if (!connection.IsConnected)
            {
                LogNotConnected(_logger, Location);
            }

            return connection;
        }
        catch (Exception failure) when (failure is RedisException or ArgumentException)
        {
            LogConnectFailed(_logger, failure, Location);
            return null;
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

    [LoggerMessage(EventId = 115, Level = LogLevel.Warning, Message = "The shared rate-limit store ({Store}) is not reachable yet; Switchboard keeps trying to connect")]
    private static partial void LogNotConnected(ILogger logger, string store);

    [LoggerMessage(EventId = 116, Level = LogLevel.Error, Message = "The shared rate-limit store ({Store}) could not be set up; per-key limits are per process")]
    private static partial void LogConnectFailed(ILogger logger, Exception exception, string store);

    [LoggerMessage(EventId = 117, Level = LogLevel.Warning, Message = "A charge to the shared rate-limit store ({Store}) failed")]
    private static partial void LogChargeFailed(ILogger logger, Exception exception, string store);
}
