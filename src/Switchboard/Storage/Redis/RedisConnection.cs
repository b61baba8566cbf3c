using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Switchboard.Storage.Redis;

/// <summary>
/// The process's one connection to Redis (<c>Storage:Redis</c>), shared by the rate-limit counters and the budgets'
/// spend counters. Made in the background so start-up and the first request never wait for it, and remade on its own
/// after an outage; until it is up (and whenever it is down) <see cref="Current"/> is null and each user falls back
/// to what it does without Redis. Commands fail fast rather than queue while disconnected, and time out after a second.
/// </summary>
public sealed partial class RedisConnection : IAsyncDisposable
{
    private readonly Task<ConnectionMultiplexer?> _connecting;
    private readonly ILogger _logger;
    private IConnectionMultiplexer? _multiplexer;

    public RedisConnection(string configuration, ILogger<RedisConnection>? logger = null)
    {
        _logger = logger ?? (ILogger)NullLogger.Instance;
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ConnectTimeout = Math.Min(options.ConnectTimeout, 2000);
        options.SyncTimeout = Math.Min(options.SyncTimeout, 1000);
        options.AsyncTimeout = Math.Min(options.AsyncTimeout, 1000);
        options.ReconnectRetryPolicy = new LinearRetry(500);
        options.ClientName ??= "switchboard";
        Location = string.Join(",", options.EndPoints.Select(e => e.ToString()));
        _connecting = ConnectAsync(options);
    }

    /// <summary>Over an existing connection (tests).</summary>
    public RedisConnection(IConnectionMultiplexer multiplexer)
    {
        _logger = NullLogger.Instance;
        _multiplexer = multiplexer;
        Location = multiplexer.Configuration;
        _connecting = Task.FromResult<ConnectionMultiplexer?>(null);
    }

    /// <summary>Where Redis is (host:port list, never the password), for messages.</summary>
    public string Location { get; }

    /// <summary>The connection when it is up, else null.</summary>
    public IConnectionMultiplexer? Current => _multiplexer is { IsConnected: true } connected ? connected : null;

    /// <summary>Waits until the first connection attempt has ended; true when it is up (tests, start-up).</summary>
    public Task<bool> WaitForConnectionAsync() => _connecting.ContinueWith(_ => Current is not null, TaskScheduler.Default);

    public async ValueTask DisposeAsync()
    {
        if (await _connecting is { } multiplexer)
        {
            await multiplexer.DisposeAsync();
        }
    }

    private async Task<ConnectionMultiplexer?> ConnectAsync(ConfigurationOptions options)
    {
        try
        {
            var multiplexer = await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
            _multiplexer = multiplexer;
            if (!multiplexer.IsConnected)
            {
                LogNotConnected(_logger, Location);
            }

            return multiplexer;
        }
        catch (Exception failure) when (failure is RedisException or ArgumentException)
        {
            LogConnectFailed(_logger, failure, Location);
            return null;
        }
    }

    [LoggerMessage(EventId = 115, Level = LogLevel.Warning, Message = "Redis ({Store}) is not reachable yet; Switchboard keeps trying to connect, and limits and budgets work per process until then")]
    private static partial void LogNotConnected(ILogger logger, string store);

    [LoggerMessage(EventId = 116, Level = LogLevel.Error, Message = "Redis ({Store}) could not be set up; per-key limits and budgets work per process")]
    private static partial void LogConnectFailed(ILogger logger, Exception exception, string store);
}
