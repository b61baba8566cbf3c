using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.FakeUpstream;
using Switchboard.Tenancy.Keys;

namespace Switchboard.EndToEnd.Limits;

/// <summary>Where a test's per-key counters live: in the Switchboard process, or in a Redis of the test's own.</summary>
public enum CounterStore
{
    Process,
    Redis,
}

/// <summary>
/// A <see cref="SwitchboardHost"/> (which has its own SQLite data directory: keys are created in its store, as the
/// CLI and admin API create them) and, for <see cref="CounterStore.Redis"/>, its own redis-server.
/// </summary>
internal sealed class LimitedHost : IAsyncDisposable
{
    private LimitedHost(SwitchboardHost host, RedisServer? redis)
    {
        Host = host;
        Redis = redis;
    }

    public SwitchboardHost Host { get; }

    public RedisServer? Redis { get; }

    public static async Task<LimitedHost> StartAsync(
        CounterStore store, FakeServerOptions? upstream = null, IEnumerable<string>? args = null, Action<WebApplicationBuilder>? configure = null)
    {
        var redis = store == CounterStore.Redis ? await RedisServer.StartAsync() : null;
        List<string> all = [];
        if (redis is not null)
        {
            all.AddRange(["--redis", redis.ConnectionString]);
        }

        all.AddRange(args ?? []);
        try
        {
            var host = await SwitchboardHost.StartAsync(upstream, all, configure: configure);
            if (redis is not null)
            {
                // The counters connect in the background; a test's first request should find them connected.
                Assert.True(await host.App.Services.GetRequiredService<Storage.Redis.RedisLimitCounters>().WaitForConnectionAsync());
            }

            return new LimitedHost(host, redis);
        }
        catch
        {
            if (redis is not null)
            {
                await redis.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>Creates a stored key; returns the key itself and its public id.</summary>
    public async Task<(string Key, string Id)> CreateKeyAsync(KeyChanges changes)
    {
        var manager = Host.App.Services.GetRequiredService<KeyManager>();
        var (record, key) = await manager.CreateAsync(changes with { Name = changes.Name.IsSet ? changes.Name : "limits-test" }, CancellationToken.None);
        return (key, record.Id);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        if (Redis is not null)
        {
            await Redis.DisposeAsync();
        }
    }
}
