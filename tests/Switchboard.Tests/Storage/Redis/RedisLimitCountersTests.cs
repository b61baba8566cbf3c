using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using Switchboard.Canonical;
using Switchboard.Configuration;
using Switchboard.Storage.Redis;
using Switchboard.Tenancy;
using Switchboard.Tenancy.Limits;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Storage.Redis;

/// <summary>
/// The Redis counters against a real redis-server: two store instances stand for two Switchboard processes
/// sharing one server. Redis keeps its own time, so waits are checked against the bucket arithmetic, not a fake clock.
/// </summary>
public sealed class RedisLimitCountersTests : IAsyncLifetime
{
    private RedisServer _redis = null!;
    private RedisLimitCounters _one = null!;
    private RedisLimitCounters _two = null!;
    private readonly List<RedisConnection> _connections = [];

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _one = await ConnectAsync();
        _two = await ConnectAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }

        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task Two_processes_share_one_requests_per_minute_limit()
    {
        var limits = new KeyLimits(5, null, null, null);
        var decisions = new List<CounterDecision>();
        for (var i = 0; i < 6; i++)
        {
            decisions.Add(await (i % 2 == 0 ? _one : _two).AcquireAsync(Request("k1", limits), default));
        }

        Assert.Equal([true, true, true, true, true, false], decisions.Select(d => d.Admitted));
        var refused = decisions[5];
        Assert.Equal(LimitKind.Requests, refused.RefusedBy);
        Assert.InRange(refused.Wait.TotalSeconds, 10, 12); // one request per 12 s, less the moments since the first
        Assert.InRange(decisions[4].Levels.Requests, 0, 0.2);
    }

    [Fact]
    public async Task The_input_estimate_is_charged_and_a_refusal_charges_nothing()
    {
        var limits = new KeyLimits(100, 1_000, null, null);

        var admitted = await _one.AcquireAsync(Request("k2", limits, estimate: 700), default);
        var refused = await _two.AcquireAsync(Request("k2", limits, estimate: 700), default);

        Assert.True(admitted.Admitted);
        Assert.InRange(admitted.Levels.InputTokens, 300, 301);
        Assert.Equal(LimitKind.InputTokens, refused.RefusedBy);
        Assert.InRange(refused.Levels.Requests, 99, 99.5); // 99, refilling at 100 a minute
        Assert.InRange(refused.Wait.TotalSeconds, 22, 24); // 400 tokens at 1,000 per minute
    }

    [Fact]
    public async Task Concurrency_is_shared_as_leases_and_released_exactly_once()
    {
        var limits = new KeyLimits(null, null, null, 2);
        var first = await _one.AcquireAsync(Request("k3", limits), default);
        var second = await _two.AcquireAsync(Request("k3", limits), default);
        var third = await _one.AcquireAsync(Request("k3", limits), default);

        _one.Charge(first.Ticket, 0, 0, release: true);
        _one.Charge(first.Ticket, 0, 0, release: true); // a second release of the same lease frees nothing more
        await WaitForAsync(async () => (await _two.PeekAsync("k3", limits, default)).InFlight == 1);
        var fourth = await _two.AcquireAsync(Request("k3", limits), default);
        var fifth = await _two.AcquireAsync(Request("k3", limits), default);

        Assert.Equal((true, true, false), (first.Admitted, second.Admitted, third.Admitted));
        Assert.Equal(LimitKind.Concurrency, third.RefusedBy);
        Assert.True(fourth.Admitted);
        Assert.False(fifth.Admitted);
        Assert.Equal(2, fourth.Levels.InFlight);
    }

    [Fact]
    public async Task Output_charges_and_input_corrections_reach_every_process()
    {
        var limits = new KeyLimits(null, 10_000, 1_000, null);
        var admitted = await _one.AcquireAsync(Request("k4", limits, estimate: 2_000), default);

        _one.Charge(admitted.Ticket, -1_500, 0, release: false); // the real count was 500
        _one.Charge(admitted.Ticket, 0, 990, release: true);
        await WaitForAsync(async () => (await _two.PeekAsync("k4", limits, default)).OutputTokens < 100);
        var levels = await _two.PeekAsync("k4", limits, default);
        var next = await _two.AcquireAsync(Request("k4", limits), default);

        Assert.InRange(levels.InputTokens, 9_500, 9_800); // 8,000 + the 1,500 given back, refilling at 10,000 a minute
        Assert.InRange(levels.OutputTokens, 10, 40); // refilling at 1,000 a minute
        Assert.True(next.Admitted); // ten output tokens left: output is not reserved
    }

    [Fact]
    public async Task Keys_have_their_TTLs_and_carry_the_layout_version()
    {
        await _one.AcquireAsync(Request("k5", new KeyLimits(10, null, null, 3)), default);

        await using var inspect = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        var db = inspect.GetDatabase();
        var ttl = await db.KeyTimeToLiveAsync("switchboard:limits:v1:{k5}:buckets");
        var leasesTtl = await db.KeyTimeToLiveAsync("switchboard:limits:v1:{k5}:leases");

        Assert.InRange(ttl!.Value.TotalSeconds, 100, 120);
        Assert.InRange(leasesTtl!.Value.TotalMinutes, 10, 11);
    }

    [Fact]
    public async Task When_redis_stops_mid_test_admissions_fall_back_to_the_process_and_return_to_redis_once_it_is_back()
    {
        var logs = new ListLogger<LimitCounters>();
        var time = new FakeTimeProvider();
        using var meters = new MeterRecorder();
        var counters = new LimitCounters(
            new LocalLimitCounters(time), new SwitchboardOptions { Storage = { Redis = _redis.ConnectionString } }, new LimitMetrics(meters), logs, _one);
        var limits = new KeyLimits(3, null, null, null);
        Assert.Same(_one, (await counters.AcquireAsync(Request("k6", limits), default)).Ticket.Store);

        await _redis.StopAsync();
        var during = new List<CounterDecision>();
        for (var i = 0; i < 4; i++)
        {
            during.Add(await counters.AcquireAsync(Request("k6", limits), default));
        }

        await _redis.StartAgainAsync();
        await WaitForAsync(() => Task.FromResult(_one.IsAvailable));
        var after = await counters.AcquireAsync(Request("k6", limits), default);

        Assert.All(during, d => Assert.IsType<LocalLimitCounters>(d.Ticket.Store));
        Assert.Equal([true, true, true, false], during.Select(d => d.Admitted)); // the process enforces the whole limit alone
        Assert.Single(logs.Lines, l => l.Contains("unreachable", StringComparison.Ordinal));
        Assert.Single(logs.Lines, l => l.Contains("reachable again", StringComparison.Ordinal));
        Assert.Equal(4, meters.Of("switchboard.limits.store_fallbacks").Sum(m => m.Value));
        Assert.Same(_one, after.Ticket.Store);
        Assert.True(after.Admitted); // the restarted server has lost its counters: a fresh bucket
    }

    [Fact]
    public async Task Failing_closed_refuses_while_redis_is_down()
    {
        var counters = new LimitCounters(
            new LocalLimitCounters(TimeProvider.System), new SwitchboardOptions { Storage = { Redis = _redis.ConnectionString, FailClosed = true } },
            new LimitMetrics(new MeterRecorder()), NullLogger<LimitCounters>.Instance, _one);
        await _redis.StopAsync();

        var refusal = await Assert.ThrowsAsync<ApiException>(() => counters.AcquireAsync(Request("k7", new KeyLimits(3, null, null, null)), default).AsTask());

        Assert.Equal(ApiErrorKind.Overloaded, refusal.Error.Kind);
    }

    private async Task<RedisLimitCounters> ConnectAsync()
    {
        var connection = new RedisConnection(_redis.ConnectionString);
        _connections.Add(connection);
        var store = new RedisLimitCounters(connection, NullLogger<RedisLimitCounters>.Instance);
        Assert.True(await store.WaitForConnectionAsync());
        return store;
    }

    private static CounterRequest Request(string key, KeyLimits limits, long estimate = 0) => new(key, limits, estimate, Guid.NewGuid().ToString("N"));

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 200; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(25);
        }

        Assert.Fail("The condition did not come true within 5 s");
    }
}
