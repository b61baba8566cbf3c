using StackExchange.Redis;

namespace Switchboard.Storage.Redis;

/// <summary>
/// The budget counters' connection to Redis (<c>Storage:Redis</c>), made in the background so start-up and the first
/// request never wait for it; until it is up (and whenever it is down) <see cref="Current"/> says so and budgets are
/// checked against the store instead. Commands fail fast rather than queue while disconnected.
/// </summary>
public sealed class RedisConnection : IAsyncDisposable
{
    private readonly Task<ConnectionMultiplexer?> _connecting;
    private IConnectionMultiplexer? _multiplexer;

    public RedisConnection(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ConnectTimeout = Math.Min(options.ConnectTimeout, 2000);
        options.AsyncTimeout = Math.Min(options.AsyncTimeout, 1000);
        options.ClientName ??= "switchboard";
        _connecting = ConnectAsync(options);
    }

    /// <summary>Over an existing connection (tests).</summary>
    public RedisConnection(IConnectionMultiplexer multiplexer)
    {
        _multiplexer = multiplexer;
        _connecting = Task.FromResult<ConnectionMultiplexer?>(null);
    }

    /// <summary>The connection when it is up, else null.</summary>
    public IConnectionMultiplexer? Current => _multiplexer is { IsConnected: true } connected ? connected : null;

    /// <summary>Waits until the first connection attempt has ended (tests).</summary>
    public Task WaitForConnectionAsync() => _connecting;

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
            var multiplexer = await ConnectionMultiplexer.ConnectAsync(options);
            _multiplexer = multiplexer;
            return multiplexer;
        }
        catch (RedisException)
        {
            return null;
        }
    }
}
