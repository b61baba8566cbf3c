using System.Diagnostics;
using System.Net;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.FakeUpstream;

namespace Switchboard.EndToEnd.Pools;

/// <summary>
/// Per-upstream timeouts, each its own failure: no headers in time fails over to another replica; a stream that goes
/// silent ends with the door's in-stream error; a whole answer is not held to the headers limit.
/// </summary>
public sealed class PoolTimeoutTests
{
    [Fact]
    public async Task A_stream_without_headers_in_time_goes_to_the_next_replica()
    {
        await using var host = await PoolHost.StartAsync(2, priorities: [0, 1], args: ["--Switchboard:Upstreams:r0:HeadersTimeoutSeconds=1"]);
        host.Replicas[0].Enqueue(new ScriptedReply { Content = "late", HeaderDelayMs = 5000 });
        var clock = Stopwatch.StartNew();

        using var response = await host.Http.PostAsync("/v1/messages", RawRequests.Json(PoolHost.Body("queued", stream: true)));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("event: message_stop", body, StringComparison.Ordinal);
        Assert.Equal([0, 1], host.ReplicasThatSaw("queued"));
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(4));
        Assert.Equal("timed_out_before_headers", (await host.UpstreamsAsync())["r0"].GetProperty("last_failure").GetString());
    }

    [Fact]
    public async Task A_stream_that_goes_silent_ends_with_the_in_stream_error()
    {
        await using var host = await SwitchboardHost.StartAsync(args: ["--Switchboard:Upstreams:default:IdleTimeoutSeconds=1"]);
        host.Upstream.Enqueue(new ScriptedReply { Content = "one two three four", ChunkSize = 4, ChunkDelayMs = 3000 });
        var clock = Stopwatch.StartNew();

        using var response = await host.Http.PostAsync("/v1/messages", RawRequests.Json(RawRequests.StreamingBody));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("event: error", body, StringComparison.Ordinal);
        Assert.Contains("Upstream 'default' sent nothing for 1 s", body, StringComparison.Ordinal);
        Assert.DoesNotContain("event: message_stop", body, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(2.9));
    }

    [Fact]
    public async Task A_whole_answer_is_not_held_to_the_headers_limit()
    {
        await using var host = await SwitchboardHost.StartAsync(args: ["--Switchboard:Upstreams:default:HeadersTimeoutSeconds=1"]);
        host.Upstream.Enqueue(new ScriptedReply { Content = "generated slowly", HeaderDelayMs = 2000 });

        using var response = await host.Http.PostAsync("/v1/messages", RawRequests.Json(RawRequests.SimpleBody));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("generated slowly", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
