using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.FakeUpstream;

namespace Switchboard.EndToEnd;

/// <summary>
/// A client that goes away cancels the upstream request at once, before and during the answer, and its log line says
/// it left (status 499) rather than that it was served.
/// </summary>
public sealed class DisconnectTests
{
    [Fact]
    public async Task Client_disconnect_mid_stream_cancels_the_upstream_request()
    {
        await using var host = await SwitchboardHost.StartAsync();
        host.Upstream.Enqueue(new ScriptedReply { Content = new string('x', 400), ChunkSize = 1, ChunkDelayMs = 100 });

        var response = await host.Http.SendAsync(RawRequests.Post("/v1/messages", RawRequests.StreamingBody), HttpCompletionOption.ResponseHeadersRead);
        var stream = await response.Content.ReadAsStreamAsync();
        await SseEvent.ReadAllAsync(stream).FirstAsync(e => e.Name == "content_block_delta");
        response.Dispose();

        var upstream = Assert.Single(host.Upstream.Requests);
        Assert.Equal(RequestOutcome.ClientAborted, await upstream.Outcome.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Client_disconnect_mid_stream_is_logged_as_the_client_leaving_not_as_served()
    {
        var logs = new CapturedLogs();
        await using var host = await StartLoggedAsync(logs);
        host.Upstream.Enqueue(new ScriptedReply { Content = new string('x', 400), ChunkSize = 1, ChunkDelayMs = 100 });

        var response = await host.Http.SendAsync(RawRequests.Post("/v1/messages", RawRequests.StreamingBody), HttpCompletionOption.ResponseHeadersRead);
        var requestId = response.Headers.GetValues("request-id").Single();
        var stream = await response.Content.ReadAsStreamAsync();
        await SseEvent.ReadAllAsync(stream).FirstAsync(e => e.Name == "content_block_delta");
        response.Dispose();

        Assert.Equal(RequestOutcome.ClientAborted, await Assert.Single(host.Upstream.Requests).Outcome.WaitAsync(TimeSpan.FromSeconds(10)));
        var line = await RequestLineAsync(logs, requestId);
        Assert.Contains("POST /v1/messages 499", line);
        Assert.Contains("input_tokens=", line);

        // The output it was sent before it left is counted (estimated: the upstream never reported usage).
        var output = int.Parse(line.Split("output_tokens=")[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(output, 1, 100);
    }

    [Fact]
    public async Task Client_disconnect_while_a_stream_waits_for_the_upstream_verdict_cancels_the_upstream_request()
    {
        // The stream is not committed for the first moment (the upstream may still refuse with a status); a client
        // that leaves in that moment must cancel the upstream call too. The upstream holds its headers far longer
        // than the test waits, so a call that was not cancelled cannot end as anything but still running.
        var logs = new CapturedLogs();
        await using var host = await StartLoggedAsync(logs);
        host.Upstream.Enqueue(new ScriptedReply { Content = "too late", HeaderDelayMs = 30_000 });
        using var cancel = new CancellationTokenSource();

        var call = host.Http.SendAsync(RawRequests.Post("/v1/messages", RawRequests.StreamingBody), HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        var upstream = await WaitForUpstreamRequestAsync(host);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(RequestOutcome.ClientAborted, await upstream.Outcome.WaitAsync(TimeSpan.FromSeconds(10)));
        var line = await RequestLineAsync(logs, "POST /v1/messages ");
        Assert.Contains("POST /v1/messages 499", line);
    }

    [Fact]
    public async Task Client_disconnect_during_a_long_prefill_cancels_the_upstream_request()
    {
        // Past the verdict wait the stream is committed (message_start, then pings) while the upstream still prefills.
        var logs = new CapturedLogs();
        await using var host = await StartLoggedAsync(logs);
        host.Upstream.Enqueue(new ScriptedReply { Content = "too late", HeaderDelayMs = 30_000 });

        var response = await host.Http.SendAsync(RawRequests.Post("/v1/messages", RawRequests.StreamingBody), HttpCompletionOption.ResponseHeadersRead);
        var requestId = response.Headers.GetValues("request-id").Single();
        var stream = await response.Content.ReadAsStreamAsync();
        await SseEvent.ReadAllAsync(stream).FirstAsync(e => e.Name == "message_start");
        response.Dispose();

        Assert.Equal(RequestOutcome.ClientAborted, await Assert.Single(host.Upstream.Requests).Outcome.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("POST /v1/messages 499", await RequestLineAsync(logs, requestId));
    }

    [Fact]
    public async Task Client_disconnect_before_the_upstream_answers_cancels_the_upstream_request()
    {
        await using var host = await SwitchboardHost.StartAsync();
        host.Upstream.Enqueue(new ScriptedReply { Content = "too late", HeaderDelayMs = 30_000 });
        using var cancel = new CancellationTokenSource();

        var call = host.Http.PostAsync("/v1/messages", RawRequests.Json(RawRequests.SimpleBody), cancel.Token);
        var upstream = await WaitForUpstreamRequestAsync(host);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(RequestOutcome.ClientAborted, await upstream.Outcome.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private static Task<SwitchboardHost> StartLoggedAsync(CapturedLogs logs) => SwitchboardHost.StartAsync(
        args: ["--Logging:LogLevel:Switchboard=Information"],
        configure: builder => builder.Services.AddSingleton<ILoggerProvider>(logs));

    /// <summary>The request's log line, written once the server has finished with the request.</summary>
    private static async Task<string> RequestLineAsync(CapturedLogs logs, string marker)
    {
        for (int i = 0; i < 500; i++)
        {
            if (logs.Lines.FirstOrDefault(l => l.Message.Contains(marker, StringComparison.Ordinal) && l.Message.Contains(" POST /v1/messages ", StringComparison.Ordinal)) is { Message: { } line })
            {
                return line;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("The request was never logged.");
    }

    private static async Task<RecordedRequest> WaitForUpstreamRequestAsync(SwitchboardHost host)
    {
        for (int i = 0; i < 500; i++)
        {
            if (host.Upstream.Requests is [var request])
            {
                return request;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("The upstream never received the request.");
    }
}
