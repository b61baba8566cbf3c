using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.FakeUpstream;

namespace Switchboard.EndToEnd;

/// <summary>A stop signal lets running streams finish for the drain period, then ends them with a retryable error.</summary>
[Collection(TimingSensitive.Name)]
public sealed class ShutdownTests
{
    [Fact]
    public async Task A_stream_still_running_after_the_drain_period_ends_with_overloaded_error_and_is_logged_as_such()
    {
        var logs = new CapturedLogs();
        await using var host = await SwitchboardHost.StartAsync(
            args: ["--Switchboard:Shutdown:DrainSeconds=3", "--Logging:LogLevel:Switchboard=Information"],
            configure: builder => builder.Services.AddSingleton<ILoggerProvider>(logs));
        host.Upstream.Enqueue(new ScriptedReply { Content = new string('x', 400), ChunkSize = 1, ChunkDelayMs = 100 });
        using var ready = await host.Http.GetAsync("/healthz/ready");
        Assert.Equal(200, (int)ready.StatusCode);

        using var response = await host.Http.SendAsync(RawRequests.Post("/v1/messages", RawRequests.StreamingBody), HttpCompletionOption.ResponseHeadersRead);
        var requestId = response.Headers.GetValues("request-id").Single();
        var events = SseEvent.ReadAllAsync(await response.Content.ReadAsStreamAsync()).GetAsyncEnumerator();
        while (await events.MoveNextAsync() && events.Current.Name != "content_block_delta")
        {
        }

        var clock = Stopwatch.StartNew();
        var stop = host.App.StopAsync();
        var rest = new List<SseEvent>();
        while (await events.MoveNextAsync())
        {
            rest.Add(events.Current);
        }

        await stop.WaitAsync(TimeSpan.FromSeconds(20));
        // Three seconds of drain: on a loaded machine a 100 ms chunk can be late, and the stream must be seen going on.
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2.9), TimeSpan.FromSeconds(17));
        var last = rest[^1];
        Assert.Equal("error", last.Name);
        Assert.Equal("overloaded_error", last.Json.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains(rest, e => e.Name == "content_block_delta");
        var upstream = Assert.Single(host.Upstream.Requests);
        Assert.Equal(RequestOutcome.ClientAborted, await upstream.Outcome.WaitAsync(TimeSpan.FromSeconds(10)));

        var line = Assert.Single(logs.Lines, l => l.Message.Contains(requestId, StringComparison.Ordinal) && l.Message.Contains("total_ms=", StringComparison.Ordinal)).Message;
        Assert.Contains(" error=overloaded_error", line);
        Assert.Matches(@" output_tokens=[1-9][0-9]* ", line);
    }
}
