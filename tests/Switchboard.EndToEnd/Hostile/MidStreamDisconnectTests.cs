using System.Text;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.FakeUpstream;

namespace Switchboard.EndToEnd.Hostile;

/// <summary>
/// Clients that go away at every moment (waiting for headers, after the first event, mid-text) harm nobody: the
/// upstream call is cancelled, each is logged as 499 (not as served), a stream in flight beside them finishes
/// intact, and the next request is served.
/// </summary>
public sealed class MidStreamDisconnectTests(DefaultHostileHost host) : IClassFixture<DefaultHostileHost>
{
    private static readonly string LongText = string.Concat(Enumerable.Range(0, 150).Select(i => $"word{i:000} "));

    [Fact]
    public async Task Disconnects_at_every_moment_cancel_the_upstream_and_do_not_harm_other_requests()
    {
        host.Upstream.Reset();

        // The bystander: one long stream that runs across all the disconnects.
        host.Upstream.Enqueue(new ScriptedReply { Content = LongText, ChunkSize = 10, ChunkDelayMs = 15 });
        var bystander = Task.Run(() => Exchange.PostAsync(host.Http, "/v1/messages", StreamBody, "bystander"));
        await WaitForAsync(() => host.Upstream.Requests.Count == 1);

        var random = new Random(7);
        var quitters = new List<Task>();
        var kinds = new List<string>();
        for (int i = 0; i < 12; i++)
        {
            bool beforeHeaders = i % 4 == 0;
            host.Upstream.Enqueue(beforeHeaders
                ? new ScriptedReply { Content = "late", HeaderDelayMs = 5_000 }
                : new ScriptedReply { Content = LongText, ChunkSize = 10, ChunkDelayMs = 15 });
            int readBytes = beforeHeaders ? 0 : random.Next(1, 1500);
            bool stream = !beforeHeaders || i % 8 == 0;
            kinds.Add(beforeHeaders ? $"left before headers, stream={stream}" : $"left after {readBytes} bytes of the stream");
            quitters.Add(QuitAsync(stream, readBytes, arrivals: i + 2));
            await WaitForAsync(() => host.Upstream.Requests.Count == i + 2);
        }

        await Task.WhenAll(quitters);
        var upstreamCalls = host.Upstream.Requests.Skip(1).ToList();
        await Task.WhenAny(Task.WhenAll(upstreamCalls.Select(r => r.Outcome)), Task.Delay(TimeSpan.FromSeconds(10)));
        var notCancelled = upstreamCalls.Select((r, i) => (i, State: r.Outcome.IsCompleted ? r.Outcome.Result.ToString() : "still running 10 s later", Kind: kinds[i]))
            .Where(x => x.State != nameof(RequestOutcome.ClientAborted)).ToList();
        Assert.True(notCancelled.Count == 0, "upstream calls not cancelled when their client left: "
            + string.Join("; ", notCancelled.Select(x => $"#{x.i} ({x.Kind}): {x.State}")));

        // Each quitter's log line says it left (499), also those that left after a 200 went out, never "served".
        await WaitForAsync(() => RequestLines(" 499").Count >= upstreamCalls.Count, mayTimeOut: true);
        Assert.True(RequestLines(" 499").Count == upstreamCalls.Count,
            $"{RequestLines(" 499").Count} of {upstreamCalls.Count} clients that left logged as 499; request lines: "
            + string.Join(" | ", RequestLines("")));

        var done = await bystander;
        Assert.Equal(200, done.Status);
        await WaitForAsync(() => RequestLines(" 200").Count > 0, mayTimeOut: true);
        Assert.Single(RequestLines(" 200"));
        var events = UpstreamFaultTests.Sse(done.Body);
        Assert.Equal("message_stop", events.Last(e => e.Name != "ping").Name);
        string text = string.Concat(events.Where(e => e.Name == "content_block_delta").Select(e => e.Json.GetProperty("delta").GetProperty("text").GetString()));
        Assert.Equal(LongText, text);

        host.Upstream.Reset();
        var next = await Exchange.PostAsync(host.Http, "/v1/messages", RawRequests.SimpleBody, "after");
        Assert.Equal(200, next.Status);
        Assert.Contains("Hello from the fake model server.", next.Body);
    }

    /// <summary>The request log lines of <c>POST /v1/messages</c> whose status starts with <paramref name="status"/>.</summary>
    private List<string> RequestLines(string status) =>
        [.. host.Logs.Lines.Select(l => l.Message).Where(m => m.Contains(" POST /v1/messages" + status, StringComparison.Ordinal))];

    private const string StreamBody = """{"model":"fake-model","max_tokens":2000,"stream":true,"messages":[{"role":"user","content":"Talk"}]}""";

    private async Task QuitAsync(bool stream, int readBytes, int arrivals)
    {
        // No draining of the unread rest to keep the connection: a client that leaves closes it, as a killed CLI does.
        using var client = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0, ResponseDrainTimeout = TimeSpan.Zero })
        {
            BaseAddress = new Uri(host.BaseUrl),
        };
        client.DefaultRequestHeaders.Add("x-api-key", HostileHost.ApiKey);
        client.DefaultRequestHeaders.Add("anthropic-version", "2023-06-01");
        using var cts = new CancellationTokenSource();
        string body = stream ? StreamBody : StreamBody.Replace("\"stream\":true", "\"stream\":false", StringComparison.Ordinal);
        var send = client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = new StringContent(body, Encoding.UTF8, "application/json") },
            HttpCompletionOption.ResponseHeadersRead, cts.Token);
        if (readBytes == 0)
        {
            // Leave while the upstream is still thinking about the request.
            await WaitForAsync(() => host.Upstream.Requests.Count >= arrivals);
            await Task.Delay(100);
            await cts.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send);
            return;
        }

        using var response = await send;
        await using var content = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[64];
        int read = 0;
        while (read < readBytes)
        {
            int n = await content.ReadAsync(buffer);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        await cts.CancelAsync();
    }

    /// <param name="mayTimeOut">True: give up quietly after 10 s and let the assertion that follows say what was seen.</param>
    private static async Task WaitForAsync(Func<bool> condition, bool mayTimeOut = false)
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (mayTimeOut && DateTime.UtcNow >= until)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < until, "timed out waiting for the upstream to see the request");
            await Task.Delay(10);
        }
    }
}
