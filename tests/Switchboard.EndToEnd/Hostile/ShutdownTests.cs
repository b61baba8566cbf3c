using System.Text;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.FakeUpstream;

namespace Switchboard.EndToEnd.Hostile;

/// <summary>
/// SIGTERM with streams in flight: streams that can finish within <c>Shutdown:DrainSeconds</c> finish; longer ones end
/// with an <c>overloaded_error</c> event within the drain time; none is cut by a TCP reset; the process exits cleanly.
/// </summary>
public sealed class ShutdownTests
{
    private const int DrainSeconds = 2;
    private const string Key = "sk-switchboard-shutdown-test";

    [Fact]
    public async Task SIGTERM_drains_short_streams_and_ends_long_ones_with_an_error_event_never_a_reset()
    {
        await using var upstream = await FakeModelServer.StartAsync();
        await using var switchboard = await SwitchboardProcess.StartAsync(
            ["--upstream", upstream.BaseUrl, "--model", "fake-model", "--api-key", Key, $"--Switchboard:Shutdown:DrainSeconds={DrainSeconds}"]);
        using var http = new HttpClient { BaseAddress = new Uri(switchboard.BaseUrl), Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Add("x-api-key", Key);

        // Three streams of a minute each, and one that needs about a second more.
        string longText = string.Concat(Enumerable.Range(0, 600).Select(i => $"w{i:000} "));
        var streams = new List<(string Name, Task<(List<SseEvent> Events, string? Failure)> Read)>();
        for (int i = 0; i < 3; i++)
        {
            upstream.Enqueue(new ScriptedReply { Content = longText, ChunkSize = 5, ChunkDelayMs = 100 });
            streams.Add(($"long {i}", ReadStreamAsync(http)));
            await WaitForAsync(() => upstream.Requests.Count == i + 1);
        }

        upstream.Enqueue(new ScriptedReply { Content = "short answer here", ChunkSize = 5, ChunkDelayMs = 250 });
        streams.Add(("short", ReadStreamAsync(http)));
        await WaitForAsync(() => upstream.Requests.Count == 4);
        await Task.Delay(300);

        var signalled = DateTime.UtcNow;
        switchboard.Terminate();
        await Task.Delay(300);

        // Readiness says no while draining (or the listener is already closed to new connections).
        using (var probe = new HttpClient { BaseAddress = new Uri(switchboard.BaseUrl), Timeout = TimeSpan.FromSeconds(2) })
        {
            try
            {
                using var ready = await probe.GetAsync("/healthz/ready");
                Assert.Equal(503, (int)ready.StatusCode);
            }
            catch (HttpRequestException)
            {
            }
        }

        var deadline = Task.Delay(TimeSpan.FromSeconds(DrainSeconds + 8));
        var problems = new List<string>();
        foreach (var (name, read) in streams)
        {
            if (await Task.WhenAny(read, deadline) != read)
            {
                problems.Add($"{name}: still open {DrainSeconds + 8} s after SIGTERM (drain is {DrainSeconds} s)");
                continue;
            }

            var (events, failure) = await read;
            var last = events.LastOrDefault(e => e.Name != "ping");
            if (failure is not null)
            {
                problems.Add($"{name}: the connection broke ({failure}) after {events.Count} events, last {last?.Name}");
            }
            else if (name == "short" && last?.Name != "message_stop")
            {
                problems.Add($"short: a stream that fits the drain time did not finish (last event {last?.Name})");
            }
            else if (last?.Name == "error")
            {
                string type = last.Json.GetProperty("error").GetProperty("type").GetString() ?? "";
                if (type != "overloaded_error")
                {
                    problems.Add($"{name}: ended with an error event of type {type}, expected overloaded_error");
                }
            }
            else if (last?.Name != "message_stop")
            {
                problems.Add($"{name}: ended without message_stop or an error event (last event {last?.Name})");
            }
        }

        bool exited = await switchboard.WaitForExitAsync(TimeSpan.FromSeconds(DrainSeconds + 10));
        if (!exited)
        {
            problems.Add($"the process had not exited {(DateTime.UtcNow - signalled).TotalSeconds:0} s after SIGTERM");
        }
        else if (switchboard.ExitCode != 0)
        {
            problems.Add($"exit code {switchboard.ExitCode} after SIGTERM");
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\n--- Switchboard output (tail) ---\n" + Tail(switchboard.Output));
    }

    private static async Task<(List<SseEvent> Events, string? Failure)> ReadStreamAsync(HttpClient http)
    {
        var events = new List<SseEvent>();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
            {
                Content = new StringContent(RawRequests.StreamingBody.Replace("\"max_tokens\":64", "\"max_tokens\":4000", StringComparison.Ordinal), Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("anthropic-version", "2023-06-01");
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            await using var body = await response.Content.ReadAsStreamAsync();
            await foreach (var e in SseEvent.ReadAllAsync(body))
            {
                events.Add(e);
            }

            return (events, null);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return (events, e.GetType().Name + ": " + e.Message);
        }
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, "timed out waiting for the upstream to see the request");
            await Task.Delay(10);
        }
    }

    private static string Tail(string text) => text.Length <= 3000 ? text : text[^3000..];
}
