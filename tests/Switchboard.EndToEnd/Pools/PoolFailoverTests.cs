using System.Net;
using System.Text.Json;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.FakeUpstream;

namespace Switchboard.EndToEnd.Pools;

/// <summary>
/// A model served by several replicas: a dead or refusing replica costs new requests nothing (they fail over before
/// the first byte), streams already running on a replica that dies end with the door's in-stream error, a replica that
/// answers 503 or 429 is cooled down and comes back after its probe, and with every replica gone the client is told
/// the model is overloaded, in its door's dialect.
/// </summary>
public sealed class PoolFailoverTests
{
    [Fact]
    public async Task A_replica_killed_mid_load_fails_only_its_running_streams()
    {
        // 20 chunks 100 ms apart: each stream runs about two seconds.
        var slow = new FakeServerOptions { DefaultReply = new ScriptedReply { Content = new string('x', 200), ChunkSize = 10, ChunkDelayMs = 100 } };
        await using var host = await PoolHost.StartAsync(3, replicaOptions: slow);

        var streams = Enumerable.Range(0, 12).Select(i => ReadStreamAsync(host, $"running-{i}")).ToList();
        await WaitUntilAsync(() => host.Replicas.Sum(r => r.Requests.Count) == 12);
        var onKilled = host.Replicas[0].Requests.Select(r => Marker(r.Body)).ToHashSet();
        Assert.NotEmpty(onKilled);
        await host.Replicas[0].KillAsync();

        // Requests not yet started when the replica died: every one is answered, whole or streamed.
        var later = await Task.WhenAll(Enumerable.Range(0, 12).Select(async i =>
        {
            using var response = await host.Http.PostAsync("/v1/messages", RawRequests.Json(PoolHost.Body($"later-{i}", stream: i % 2 == 0)));
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }));
        Assert.All(later, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.All(later, r => Assert.Contains("xxxxxxxxxx", r.Item2, StringComparison.Ordinal));

        var results = await Task.WhenAll(streams);
        foreach (var (marker, events) in results)
        {
            if (onKilled.Contains(marker))
            {
                var error = Assert.Single(events, e => e.Name == "error");
                Assert.DoesNotContain(events, e => e.Name == "message_stop");
                Assert.DoesNotContain("127.0.0.1", error.Data!, StringComparison.Ordinal);
            }
            else
            {
                Assert.DoesNotContain(events, e => e.Name == "error");
                Assert.Contains(events, e => e.Name == "message_stop");
            }
        }

        Assert.NotEqual("healthy", await host.StateAsync("r0"));
        Assert.Contains(host.Logs.Lines, l => l.Message.StartsWith("Upstream r0 is cooling down", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_replica_answering_503_is_cooled_down_and_comes_back_after_its_probe()
    {
        // r0 is preferred (priority 0); r1 takes requests only while r0 is out.
        await using var host = await PoolHost.StartAsync(2, priorities: [0, 1], args:
            ["--Switchboard:Upstreams:r0:CooldownSeconds=60", "--Switchboard:Upstreams:r0:ProbeIntervalSeconds=3", "--Switchboard:Upstreams:r1:ProbeIntervalSeconds=3"]);
        host.Replicas[0].Enqueue(new ScriptedReply { Error = new ScriptedError { Status = 503, Body = """{"error":{"message":"Service Unavailable","type":"server_error"}}""" } });

        var first = await host.Http.PostAsync("/v1/messages", RawRequests.Json(PoolHost.Body("first")));
        var second = await host.Http.PostAsync("/v1/messages", RawRequests.Json(PoolHost.Body("second")));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal([0, 1], host.ReplicasThatSaw("first"));
        Assert.Equal([1], host.ReplicasThatSaw("second"));
        Assert.Single(host.Logs.Lines, l => l.Message.Contains("POST /v1/messages 200", StringComparison.Ordinal)
            && l.Message.Contains(" upstream=r1 attempts=2 ", StringComparison.Ordinal));
        var r0 = (await host.UpstreamsAsync())["r0"];
        Assert.Equal("cooling", r0.GetProperty("state").GetString());
        Assert.Equal("overloaded", r0.GetProperty("last_failure").GetString());

        // The probe (every 3 s) finds r0 answering again, well before its 60 s cooldown ends.
        await WaitUntilAsync(async () => await host.StateAsync("r0") == "healthy", TimeSpan.FromSeconds(10));
        var third = await host.Http.PostAsync("/v1/messages", RawRequests.Json(PoolHost.Body("third")));
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        Assert.Equal([0], host.ReplicasThatSaw("third"));
        Assert.Contains(host.Logs.Lines, l => l.Message == "Upstream r0 is back: its health probe succeeded");
    }

    [Fact]
    public async Task The_pause_before_the_next_replica_is_not_counted_as_Switchboards_overhead()
    {
        // A 1 s back-off (0.5-1.5 s with jitter) before the second attempt: time lost to the failed replica.
        await using var host = await PoolHost.StartAsync(2, priorities: [0, 1], args: ["--Switchboard:Pools:BackoffMilliseconds=1000"]);
        host.Replicas[0].Enqueue(new ScriptedReply { Error = new ScriptedError { Status = 503, Body = """{"error":{"message":"Service Unavailable","type":"server_error"}}""" } });

        using var response = await host.Http.PostAsync("/v1/messages", RawRequests.Json(PoolHost.Body("paused")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var line = Assert.Single(host.Logs.Lines, l => l.Message.Contains(" upstream=r1 attempts=2 ", StringComparison.Ordinal)).Message;
        var total = double.Parse(LogLine.Field(line, "total_ms"), System.Globalization.CultureInfo.InvariantCulture);
        var overheadUs = long.Parse(LogLine.Field(line, "overhead_us"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(total >= 500, $"no back-off happened ({total} ms)");
        Assert.InRange(overheadUs, 1, 400_000);
    }

    [Fact]
    public async Task A_replica_answering_429_stays_out_for_its_retry_after_then_comes_back_by_its_probe()
    {
        await using var host = await PoolHost.StartAsync(2, priorities: [0, 1], args:
            ["--Switchboard:Upstreams:r0:CooldownSeconds=60", "--Switchboard:Upstreams:r0:ProbeIntervalSeconds=0.5"]);
        host.Replicas[0].Enqueue(ScriptedFault.Reply(new ScriptedFault
        {
            Status = 429,
            ContentType = "application/json",
            Body = """{"error":{"message":"Too many requests","type":"rate_limit_error"}}""",
            Headers = { ["Retry-After"] = "3" },
        }));
        var started = DateTimeOffset.UtcNow;

        var first = await host.Http.PostAsync("/v1/messages", RawRequests.Json(PoolHost.Body("first")));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal([0, 1], host.ReplicasThatSaw("first"));
        var r0 = (await host.UpstreamsAsync())["r0"];
        Assert.Equal("cooling", r0.GetProperty("state").GetString());
        Assert.Equal("rate_limited", r0.GetProperty("last_failure").GetString());

        // Probes succeed every half second, but the upstream asked for 3 s.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Equal("cooling", await host.StateAsync("r0"));
        await WaitUntilAsync(async () => await host.StateAsync("r0") == "healthy", TimeSpan.FromSeconds(10));
        Assert.True(DateTimeOffset.UtcNow - started >= TimeSpan.FromSeconds(2.9));
        var second = await host.Http.PostAsync("/v1/messages", RawRequests.Json(PoolHost.Body("second")));
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal([0], host.ReplicasThatSaw("second"));
    }

    [Fact]
    public async Task With_every_replica_down_the_client_is_told_the_model_is_overloaded_in_its_dialect()
    {
        await using var host = await PoolHost.StartAsync(2);
        var ports = host.Replicas.Select(r => new Uri(r.BaseUrl).Port.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        foreach (var replica in host.Replicas)
        {
            await replica.KillAsync();
        }

        using var anthropic = await host.Http.PostAsync("/v1/messages", RawRequests.Json(PoolHost.Body("hello")));
        var anthropicBody = await anthropic.Content.ReadAsStringAsync();
        Assert.Equal(529, (int)anthropic.StatusCode);
        var error = JsonDocument.Parse(anthropicBody).RootElement.GetProperty("error");
        Assert.Equal("overloaded_error", error.GetProperty("type").GetString());
        Assert.Contains("Model 'fake-model' is overloaded", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("true", anthropic.Headers.GetValues("x-should-retry").Single());

        using var chat = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = RawRequests.Json("""{"model":"fake-model","messages":[{"role":"user","content":"hello"}]}"""),
        };
        chat.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", PoolHost.ApiKey);
        using var openai = await host.Http.SendAsync(chat);
        var openaiBody = await openai.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, openai.StatusCode);
        Assert.Contains("fake-model", openaiBody, StringComparison.Ordinal);

        foreach (var body in new[] { anthropicBody, openaiBody })
        {
            Assert.DoesNotContain("127.0.0.1", body, StringComparison.Ordinal);
            Assert.All(ports, port => Assert.DoesNotContain(port, body, StringComparison.Ordinal));
        }
    }

    internal static string Marker(JsonElement body) =>
        body.GetProperty("messages").EnumerateArray().Last().GetProperty("content").GetString() ?? "";

    private static async Task<(string Marker, List<SseEvent> Events)> ReadStreamAsync(PoolHost host, string marker)
    {
        using var request = RawRequests.Post("/v1/messages", PoolHost.Body(marker, stream: true));
        using var response = await host.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = new List<SseEvent>();
        await foreach (var e in SseEvent.ReadAllAsync(await response.Content.ReadAsStreamAsync()))
        {
            events.Add(e);
        }

        return (marker, events);
    }

    internal static Task WaitUntilAsync(Func<bool> condition) => WaitUntilAsync(() => Task.FromResult(condition()), TimeSpan.FromSeconds(10));

    internal static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan limit)
    {
        var until = DateTime.UtcNow + limit;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, "the condition did not come true in time");
            await Task.Delay(50);
        }
    }
}
