using System.IO.Pipelines;
using Switchboard.Buffers;
using Switchboard.Canonical;
using Switchboard.Configuration;
using Switchboard.Egress;
using Switchboard.Routing;

namespace Switchboard.Pipeline;

/// <summary>
/// Answers a streamed request through the front door's stream writer. The upstream gets a short moment to refuse
/// the request, so a refusal (context too long, rate limited) keeps its status; then the message start goes out at
/// once with the estimated input-token count (the exact count, from the upstream's own usage, follows in the door's
/// final usage: Anthropic's <c>message_delta</c>, Chat's usage chunk, Responses' <c>response.completed</c>). No
/// tokenizer call is made for the start: with a tokenizing server (vLLM, SGLang, llama.cpp) that was a second render
/// of the whole prompt per streamed request. The tokenizer is still asked where a decision needs an exact figure:
/// fitting <c>max_tokens</c> near the context limit (<see cref="UpstreamForwarder"/>) and <c>count_tokens</c>. Keep-alives hold the connection through a long prefill, and events are handed
/// to the transport in one write per upstream read (see <see cref="StreamPacing"/> and <see cref="BodyBuffer"/>).
/// A failure after that point becomes the door's in-stream error. The client's disconnect cancels the upstream
/// request; a server drain (<see cref="DrainSignal"/>) ends the stream with a retryable error.
/// </summary>
public sealed partial class StreamStage(
    UpstreamForwarder forwarder,
    UpstreamApis apis,
    DrainSignal drain,
    SwitchboardOptions options,
    TimeProvider time,
    ILogger<StreamStage> logger,
    IServerToolLoop? serverTools = null)
{
    /// <summary>How long the upstream may take to accept or refuse before the stream is committed regardless.</summary>
    private static readonly TimeSpan VerdictWait = TimeSpan.FromMilliseconds(500);

    /// <param name="started">When the request began (<see cref="TimeProvider.GetTimestamp"/>), for the first-token time.</param>
    public async Task RunAsync(IFrontDoor door, MessageRequest request, ModelRoute route, IResponseChannel channel, RequestRecord record, long started)
    {
        var aborted = channel.Aborted;

        // The upstream is called under a token that a drain also cancels; writes to the client only stop for the client.
        using var upstreamCalls = CancellationTokenSource.CreateLinkedTokenSource(aborted, drain.Draining);

        // A request whose server tools Switchboard runs goes through the loop.
        var loop = serverTools?.Prepare(request, route);
        request = loop?.Request ?? request;

        // An answer to be relayed in the door's own dialect opens the stream itself, with its own message start and
        // count: the stage waits for it rather than opening the stream first.
        var relayed = loop is null && apis.For(route).Relays(request) && request.Source?.Dialect == door.Name;
        var send = loop is not null
            ? loop.SendAsync((turn, _, token) => forwarder.SendAsync(turn, route, inputCount: null, token, record), upstreamCalls.Token)
            : forwarder.SendAsync(request, route, inputCount: null, upstreamCalls.Token, record);
        try
        {
            int inputTokens;
            try
            {
                try
                {
                    await send.WaitAsync(relayed ? Timeout.InfiniteTimeSpan : VerdictWait, time, aborted);
                }
                catch (TimeoutException)
                {
                    // Still prefilling or queued: commit the stream now and keep it alive with pings.
                }

                if (send.IsCompletedSuccessfully && send.Result is IRelayableResponse { IsStream: true } relay && relay.Dialect == door.Name
                    && !ContextEditing.AnswerReportsEdits(request))
                {
                    await RelayAsync(door, relay, request, route, channel, record, started, upstreamCalls.Token);
                    return;
                }

                inputTokens = loop is null && record.InputTokens is { } known ? known : TokenEstimator.Estimate(request);
            }
            catch (OperationCanceledException) when (drain.IsDraining && !aborted.IsCancellationRequested)
            {
                throw ShuttingDown();
            }

            record.InputTokens = inputTokens;
            channel.BeginStream(door.StreamContentType);

            // Events written between two flushes, handed to the transport in one write (see BodyBuffer).
            using var batch = new BodyBuffer(initialCapacity: 0);
            var sink = door.CreateStreamWriter(batch, channel.RequestId, request);
            try
            {
                await StreamAsync(door, sink, batch, request, route, send, channel, record, started, inputTokens, upstreamCalls.Token);
            }
            finally
            {
                (sink as IDisposable)?.Dispose();
            }
        }
        finally
        {
            // Cancel before the source is disposed: disposing unlinks it from the client's token, and an await that
            // the client's leaving resumes inline (the verdict wait) gets here before the link has fired, which left
            // the upstream call running to its end.
            upstreamCalls.Cancel();
            Release(send);
        }
    }

    /// <summary>Disposes the upstream's answer, also one that arrives after the stage has given up on it.</summary>
    private static void Release(Task<IUpstreamResponse> send)
    {
        if (send.IsCompleted)
        {
            ReleaseCompleted(send);
            return;
        }

        _ = send.ContinueWith(ReleaseCompleted, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private static void ReleaseCompleted(Task<IUpstreamResponse> send)
    {
        if (send.IsCompletedSuccessfully)
        {
            send.Result.Dispose();
        }
        else
        {
            // Observed, so a failure nobody waited for is not reported as unobserved.
            _ = send.Exception;
        }
    }

    private async Task StreamAsync(
        IFrontDoor door, IMessageStreamSink sink, BodyBuffer batch, MessageRequest request, ModelRoute route,
        Task<IUpstreamResponse> send, IResponseChannel channel, RequestRecord record, long started, int inputTokens, CancellationToken reading)
    {
        var aborted = channel.Aborted;
        var writer = channel.Body;
        var assembler = new StreamAssembler(sink);
        using var pacing = new StreamPacing(
            async token =>
            {
                record.TimeToFirstTokenMs ??= assembler.HasContent ? time.GetElapsedTime(started).TotalMilliseconds : null;

                // The caller's output limit is charged as the answer is produced, not when it ends.
                record.Admission?.OnOutputTokens(assembler.UsageSoFar.OutputTokens);
                batch.MoveTo(writer);
                await FlushToClientAsync(writer, token);
            },
            async token =>
            {
                sink.OnPing();
                batch.MoveTo(writer);
                await FlushToClientAsync(writer, token);
            },
            TimeSpan.FromSeconds(Math.Max(0.05, options.Streaming.PingIntervalSeconds)),
            time);

        assembler.Start(Ids.NewMessageId(), request.Model, new Usage(inputTokens, 1, 0, 0));
        try
        {
            batch.MoveTo(writer);
            await FlushToClientAsync(writer, aborted);
            var upstream = await pacing.WaitAsync(send, reading);
            await upstream.ReadAsync(assembler, pacing, reading);
            assembler.Complete();
        }
        catch (Exception) when (aborted.IsCancellationRequested)
        {
            // The client left: nobody to tell, whatever the read or write that noticed it threw. What it was sent
            // until then still counts.
            record.ClientLeft = true;
            record.Settle(assembler.UsageSoFar);
            return;
        }
        catch (ApiException failure)
        {
            Fail(door, assembler, record, failure.Error);
        }
        catch (OperationCanceledException) when (drain.IsDraining && !aborted.IsCancellationRequested)
        {
            LogDrained(logger, channel.RequestId, record.Target ?? route.Upstream.Name);
            Fail(door, assembler, record, ShuttingDown().Error);
        }
        catch (Exception failure)
        {
            LogStreamFailure(logger, failure, channel.RequestId, record.Target ?? route.Upstream.Name);
            Fail(door, assembler, record, new ApiError(ApiErrorKind.Api, $"The stream from upstream '{record.Target ?? route.Upstream.Name}' failed unexpectedly"));
        }

        // The answer is complete (or failed); its usage stands even when nobody is left to read the last events.
        record.Settle(assembler.FinalUsage);
        if (aborted.IsCancellationRequested)
        {
            record.ClientLeft = true;
            return;
        }

        // Settled before the last events go out: a client that sends its next request as soon as it has read the end
        // of this one finds its concurrency slot free and this answer's tokens charged.
        record.Admission?.Complete(record);

        batch.MoveTo(writer);
        await FlushToClientAsync(writer, aborted);
    }

    /// <summary>
    /// Relays an answer in the door's own dialect: each upstream event goes to the client unchanged as it arrives
    /// (the door's writers are bypassed), and the usage is read from the events for the record. A failure midway
    /// becomes the door's in-stream error, as on the translated path.
    /// </summary>
    private async Task RelayAsync(
        IFrontDoor door, IRelayableResponse relay, MessageRequest request, ModelRoute route, IResponseChannel channel, RequestRecord record,
        long started, CancellationToken reading)
    {
        var aborted = channel.Aborted;
        var writer = channel.Body;
        channel.BeginStream(door.StreamContentType);
        using var batch = new BodyBuffer(initialCapacity: 0);
        var sink = door.CreateStreamWriter(batch, channel.RequestId, request);
        try
        {
            using var pacing = new StreamPacing(
                async token =>
                {
                    record.TimeToFirstTokenMs ??= relay.ContentSent ? time.GetElapsedTime(started).TotalMilliseconds : null;
                    record.Admission?.OnOutputTokens(relay.Usage.OutputTokens);
                    batch.MoveTo(writer);
                    await FlushToClientAsync(writer, token);
                },
                async token =>
                {
                    sink.OnPing();
                    batch.MoveTo(writer);
                    await FlushToClientAsync(writer, token);
                },
                TimeSpan.FromSeconds(Math.Max(0.05, options.Streaming.PingIntervalSeconds)),
                time);
            try
            {
                await relay.RelayStreamAsync(batch, pacing, reading);
            }
            catch (Exception) when (aborted.IsCancellationRequested)
            {
                record.ClientLeft = true;
                record.Settle(relay.Usage);
                return;
            }
            catch (ApiException failure)
            {
                FailRelay(door, sink, relay, record, failure.Error);
            }
            catch (OperationCanceledException) when (drain.IsDraining && !aborted.IsCancellationRequested)
            {
                LogDrained(logger, channel.RequestId, record.Target ?? route.Upstream.Name);
                FailRelay(door, sink, relay, record, ShuttingDown().Error);
            }
            catch (Exception failure)
            {
                LogStreamFailure(logger, failure, channel.RequestId, record.Target ?? route.Upstream.Name);
                FailRelay(door, sink, relay, record, new ApiError(ApiErrorKind.Api, $"The stream from upstream '{record.Target ?? route.Upstream.Name}' failed unexpectedly"));
            }

            record.TimeToFirstTokenMs ??= relay.ContentSent ? time.GetElapsedTime(started).TotalMilliseconds : null;
            record.InputTokens ??= relay.Usage.InputTokens;
            record.Settle(relay.Usage);
            if (aborted.IsCancellationRequested)
            {
                record.ClientLeft = true;
                return;
            }

            record.Admission?.Complete(record);
            batch.MoveTo(writer);
            await FlushToClientAsync(writer, aborted);
        }
        finally
        {
            (sink as IDisposable)?.Dispose();
        }
    }

    private static void FailRelay(IFrontDoor door, IMessageStreamSink sink, IRelayableResponse relay, RequestRecord record, ApiError failure)
    {
        var error = door.InStreamError(failure, relay.ContentSent);
        record.ErrorKind = error.Kind;
        sink.OnError(error);
    }

    /// <summary>
    /// Hands the batched events to the client. Past Kestrel's response buffer (64 KiB unsent) the flush waits for the
    /// client to read: that time is the client's, not Switchboard's, so it is marked as a wait and left out of the
    /// overhead figure, like a wait on the upstream.
    /// </summary>
    private static async ValueTask FlushToClientAsync(PipeWriter writer, CancellationToken cancellationToken)
    {
        var flush = writer.FlushAsync(cancellationToken);
        if (flush.IsCompleted)
        {
            await flush;
            return;
        }

        using (UpstreamWait.Mark())
        {
            await flush;
        }
    }

    /// <summary>What a request cut short by a shutdown is told: a retryable error, so the client goes to another instance.</summary>
    internal static ApiException ShuttingDown() => new(ApiErrorKind.Overloaded, "Switchboard is restarting; retry the request");

    private static void Fail(IFrontDoor door, StreamAssembler assembler, RequestRecord record, ApiError failure)
    {
        var error = door.InStreamError(failure, assembler.HasContent);
        record.ErrorKind = error.Kind;
        assembler.Fail(error);
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Error, Message = "{RequestId} stream from upstream {Upstream} failed")]
    private static partial void LogStreamFailure(ILogger logger, Exception exception, string requestId, string upstream);

    [LoggerMessage(EventId = 31, Level = LogLevel.Warning, Message = "{RequestId} stream from upstream {Upstream} ended by the shutdown drain")]
    private static partial void LogDrained(ILogger logger, string requestId, string upstream);
}
