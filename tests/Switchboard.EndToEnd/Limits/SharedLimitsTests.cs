using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.FakeUpstream;
using Switchboard.Tenancy.Keys;

namespace Switchboard.EndToEnd.Limits;

/// <summary>
/// Two Switchboards sharing one store and one Redis, as two replicas behind a load balancer: a key's limits hold
/// across both under concurrent load.
/// </summary>
public sealed class SharedLimitsTests
{
    [Fact]
    public async Task A_key_limited_to_N_requests_a_minute_gets_exactly_N_across_two_processes_under_concurrent_load()
    {
        await using var redis = await RedisServer.StartAsync();
        var data = TestDataRoot.FreshDirectory();
        string[] shared = ["--data-dir", data, "--redis", redis.ConnectionString];
        await using var one = await SwitchboardHost.StartAsync(args: shared);
        await using var two = await SwitchboardHost.StartAsync(args: shared);
        await WaitForRedisAsync(one);
        await WaitForRedisAsync(two);
        var (_, key) = await one.App.Services.GetRequiredService<KeyManager>().CreateAsync(
            new KeyChanges { Name = "shared", RequestsPerMinute = 12 }, CancellationToken.None);
        using var toOne = AnthropicLimitsTests.Client(one, key);
        using var toTwo = AnthropicLimitsTests.Client(two, key);

        // Three through each first, so both have served some; then a concurrent burst through both.
        var statuses = new List<HttpStatusCode>();
        foreach (var client in new[] { toOne, toOne, toOne, toTwo, toTwo, toTwo })
        {
            using var response = await client.PostAsync("/v1/messages", RawRequests.Json(RawRequests.SimpleBody));
            statuses.Add(response.StatusCode);
        }

        var burst = Enumerable.Range(0, 34).Select(async i =>
        {
            using var response = await (i % 2 == 0 ? toOne : toTwo).PostAsync("/v1/messages", RawRequests.Json(RawRequests.SimpleBody));
            return response.StatusCode;
        });
        statuses.AddRange(await Task.WhenAll(burst));

        Assert.Equal(12, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(28, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(12, one.Upstream.Requests.Count + two.Upstream.Requests.Count);
        Assert.InRange(one.Upstream.Requests.Count, 3, 9);
    }

    [Fact]
    public async Task A_concurrency_cap_holds_across_two_processes()
    {
        await using var redis = await RedisServer.StartAsync();
        var data = TestDataRoot.FreshDirectory();
        string[] shared = ["--data-dir", data, "--redis", redis.ConnectionString];
        await using var one = await SwitchboardHost.StartAsync(args: shared);
        await using var two = await SwitchboardHost.StartAsync(args: shared);
        await WaitForRedisAsync(one);
        await WaitForRedisAsync(two);
        var (_, key) = await one.App.Services.GetRequiredService<KeyManager>().CreateAsync(
            new KeyChanges { Name = "shared", Concurrency = 1 }, CancellationToken.None);
        one.Upstream.Enqueue(new ScriptedReply { Content = "slow", HeaderDelayMs = 1500 });
        using var toOne = AnthropicLimitsTests.Client(one, key);
        using var toTwo = AnthropicLimitsTests.Client(two, key);

        var slow = toOne.PostAsync("/v1/messages", RawRequests.Json(RawRequests.SimpleBody));
        await AnthropicLimitsTests.WaitForUpstreamAsync(one, 1);
        using var refused = await toTwo.PostAsync("/v1/messages", RawRequests.Json(RawRequests.SimpleBody));
        using var done = await slow;
        using var after = await toTwo.PostAsync("/v1/messages", RawRequests.Json(RawRequests.SimpleBody));

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("concurrent requests", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    private static async Task WaitForRedisAsync(SwitchboardHost host) =>
        Assert.True(await host.App.Services.GetRequiredService<Storage.Redis.RedisLimitCounters>().WaitForConnectionAsync());
}
