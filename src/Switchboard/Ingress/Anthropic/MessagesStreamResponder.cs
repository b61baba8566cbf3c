using Microsoft.AspNetCore.Http.Features;
using Switchboard.Buffers;
using Switchboard.Canonical;
using Switchboard.Configuration;
using Switchboard.Egress;
using Switchboard.Hosting;
using Switchboard.Pipeline;
using Switchboard.Routing;
using Switchboard.Telemetry;

namespace Switchboard.Ingress.Anthropic;

/// <summary>
/// Answers <c>stream: true</c>. The upstream gets a short moment to refuse the request, so a refusal (context too
/// long, rate limited) keeps its HTTP status; then <c>message_start</c> goes out at once, pings keep the connection
/// alive through a long prefill, and events are flushed as they are produced. A failure after that point becomes an
/// <c>error</c> event (<see cref="InStreamError"/> decides its type). The client's disconnect cancels the upstream
/// request through the request-aborted token.
/// </summary>
public sealed partial class MessagesStreamResponder(
    UpstreamForwarder forwarder,
    TokenCounter tokenCounter,
    ThinkingKey thinkingKey,
    SwitchboardOptions options,
    TimeProvider time,
    ILogger<MessagesStreamResponder> logger)
{
    /// <summary>How long the upstream may take to accept or refuse before the stream is committed regardless.</summary>
    private static readonly TimeSpan VerdictWait = TimeSpan.FromMilliseconds(500);

    public async Task RespondAsync(HttpContext context, MessageRequest request, ModelRoute route, RequestLogEntry entry)
    {
        var aborted = context.RequestAborted;
        var started = time.GetTimestamp();
        var count = tokenCounter.CountAsync(request, route, aborted);
        var send = forwarder.SendAsync(request, route, count, aborted);
        try
        {
            await send.WaitAsync(VerdictWait, time, aborted);
        }
        catch (TimeoutException)
        {
            // Still prefilling or queued: commit the stream now and keep it alive with pings.
        }

        var inputTokens = (await count).Tokens;
        entry.InputTokens = inputTokens;
        var response = context.Response;
        var writer = response.BodyWriter;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        // Events written between two flushes, handed to Kestrel in one write (see BodyBuffer).
        using var batch = new BodyBuffer(initialCapacity: 0);
        var sink = new AnthropicSseWriter(batch, context.TraceIdentifier);
        using var assembler = new StreamAssembler(sink, thinkingKey.Value);
        var pacing = new StreamPacing(
            async token =>
            {
                entry.TimeToFirstTokenMs ??= assembler.HasContent ? time.GetElapsedTime(started).TotalMilliseconds : null;
                batch.MoveTo(writer);
                await writer.FlushAsync(token);
            },
            async token =>
            {
                sink.OnPing();
                batch.MoveTo(writer);
                await writer.FlushAsync(token);
            },
            TimeSpan.FromSeconds(Math.Max(0.05, options.Streaming.PingIntervalSeconds)),
            time);

        assembler.Start(Ids.NewMessageId(), request.Model, new Usage(inputTokens, 1, 0, 0));
        try
        {
            batch.MoveTo(writer);
            await writer.FlushAsync(aborted);
            using var upstream = await pacing.WaitAsync(send, aborted);
            await upstream.ReadAsync(assembler, pacing, aborted);
            assembler.Complete();
        }
        catch (ApiException failure)
        {
            var error = InStreamError.For(failure.Error, assembler.HasContent);
            entry.ErrorType = AnthropicErrors.WireType(error.Kind);
            assembler.Fail(error);
        }
        catch (Exception failure) when (failure is not OperationCanceledException || !aborted.IsCancellationRequested)
        {
            LogStreamFailure(logger, failure, context.TraceIdentifier, route.Upstream.Name);
            var error = InStreamError.For(
                new ApiError(ApiErrorKind.Api, $"The stream from upstream '{route.Upstream.Name}' failed unexpectedly"), assembler.HasContent);
            entry.ErrorType = AnthropicErrors.WireType(error.Kind);
            assembler.Fail(error);
        }

        if (assembler.Finished && !aborted.IsCancellationRequested)
        {
            entry.InputTokens = assembler.FinalUsage.InputTokens + assembler.FinalUsage.CacheReadInputTokens + assembler.FinalUsage.CacheCreationInputTokens;
            entry.OutputTokens = assembler.FinalUsage.OutputTokens;
            batch.MoveTo(writer);
            await writer.FlushAsync(aborted);
        }
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Error, Message = "{RequestId} stream from upstream {Upstream} failed")]
    private static partial void LogStreamFailure(ILogger logger, Exception exception, string requestId, string upstream);
}
