using System.Buffers;
using System.Text.Json;
using Switchboard.Canonical;
using Switchboard.Configuration;
using Switchboard.Egress;
using Switchboard.Egress.Documents;
using Switchboard.Routing;
using Switchboard.Telemetry;

namespace Switchboard.Pipeline;

/// <summary>
/// The one path every request takes, whatever door it came in by: read (the door's reader) → thinking replay filter
/// → route → context editing (<see cref="ContextEditing"/>) → admit (<see cref="IAdmissionPolicy"/>) → fit the
/// output budget and send (<see cref="UpstreamForwarder"/>) → answer whole or stream into the door's sink (<see cref="StreamStage"/>) → settle usage in the
/// <see cref="RequestRecord"/>. A failure before the answer is committed goes out through the door's error writer.
/// Knows no HTTP: the answer goes to an <see cref="IResponseChannel"/>.
/// </summary>
public sealed partial class MessagePipeline(
    ModelCatalog catalog,
    UpstreamApis apis,
    ThinkingKey thinkingKey,
    IAdmissionPolicy admission,
    UpstreamForwarder forwarder,
    StreamStage streamStage,
    TokenCounter tokenCounter,
    SwitchboardOptions options,
    TimeProvider time,
    DrainSignal drain,
    ILogger<MessagePipeline> logger,
    RemoteAttachments? attachments = null,
    IServerToolLoop? serverTools = null)
{
    /// <summary>Answers a generation request (a message, streamed or whole).</summary>
    /// <param name="readBody">Reads the request body as JSON; throws <see cref="ApiException"/> when it is not.</param>
    public async Task RunAsync(IFrontDoor door, Func<Task<IRequestJson>> readBody, IResponseChannel channel, RequestRecord record)
    {
        ArgumentNullException.ThrowIfNull(door);
        ArgumentNullException.ThrowIfNull(readBody);
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(record);
        var started = time.GetTimestamp();
        record.FrontDoor = door.Name;
        var admitted = false;
        try
        {
            RefuseWhenStopping();
            using var document = await readBody();
            if (options.LogPromptText)
            {
                LogPrompt(logger, channel.RequestId, document.RootElement.GetRawText());
            }

            var read = Read(door, document.RootElement, channel.RequestId);
            var route = Route(read, record);
            var edited = await EditContextAsync(Replayable(read, route, countOnly: false, channel.RequestId), route, channel.Aborted);
            var request = edited.Request;

            // An edit counted the prompt it leaves exactly: the stream's start reports that count, not an estimate.
            record.InputTokens = edited.Tokens;
            try
            {
                record.Admission = await admission.AdmitAsync(request, route, record, channel.Aborted);
            }
            finally
            {
                // The caller's own limits, on the answer and on a refusal alike.
                admitted = true;
                AddRateLimitHeaders(door, channel, record);
            }

            // PDFs and images given by URL, fetched once for upstreams that cannot fetch them (after admission: a
            // refused caller makes Switchboard fetch nothing).
            if (attachments is not null)
            {
                request = await attachments.ResolveAsync(request, route, channel.Aborted);
            }

            if (request.Stream)
            {
                await streamStage.RunAsync(door, request, route, channel, record, started);
            }
            else
            {
                await RespondWholeAsync(door, request, route, channel, record);
            }
        }
        catch (OperationCanceledException) when (channel.Aborted.IsCancellationRequested)
        {
            // The client left; the upstream call went with it and there is nobody left to answer.
            record.ClientLeft = true;
        }
        catch (ApiException failure) when (!channel.HasStarted)
        {
            record.ErrorKind = failure.Error.Kind;
            if (!admitted)
            {
                await DescribeRateLimitsAsync(door, channel, record);
            }

            await door.WriteErrorAsync(channel, failure.Error);
        }
        finally
        {
            // Usage is final here (also for an aborted or failed stream): the limits are settled against it.
            record.Admission?.Complete(record);
        }
    }

    /// <summary>Answers a token count: the request counted as it would be sent to its route's model.</summary>
    public async Task CountTokensAsync(IFrontDoor door, Func<Task<IRequestJson>> readBody, IResponseChannel channel, RequestRecord record)
    {
        ArgumentNullException.ThrowIfNull(door);
        ArgumentNullException.ThrowIfNull(readBody);
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(record);
        record.FrontDoor = door.Name;
        record.TokenCountOnly = true;
        try
        {
            RefuseWhenStopping();
            using var document = await readBody();
            var read = Read(door, document.RootElement, channel.RequestId, countOnly: true);
            var route = Route(read, record);
            var replayable = Replayable(read, route, countOnly: true, channel.RequestId);
            if (attachments is not null)
            {
                replayable = await attachments.ResolveAsync(replayable, route, channel.Aborted);
            }

            // Server tools Switchboard runs are counted as the model gets them (the offered function, replayed results).
            replayable = serverTools?.Prepare(replayable, route)?.Request ?? replayable;
            var edited = await EditContextAsync(replayable, route, channel.Aborted);
            var request = edited.Request;
            var tokens = edited.Tokens ?? (await tokenCounter.CountAsync(request, route, channel.Aborted)).Tokens;
            record.InputTokens = tokens;
            await DescribeRateLimitsAsync(door, channel, record);
            channel.Begin(200, door.MessageContentType);
            door.WriteTokenCount(channel.Body, tokens, request.AppliedContextEdits is null ? null : edited.OriginalTokens ?? tokens);
            await channel.Body.FlushAsync(channel.Aborted);
        }
        catch (ApiException failure) when (!channel.HasStarted)
        {
            record.ErrorKind = failure.Error.Kind;
            if (record.RateLimits is null)
            {
                await DescribeRateLimitsAsync(door, channel, record);
            }

            await door.WriteErrorAsync(channel, failure.Error);
        }
    }

    private static void AddRateLimitHeaders(IFrontDoor door, IResponseChannel channel, RequestRecord record)
    {
        if (record.RateLimits is { Any: true } limits)
        {
            door.AddRateLimitHeaders(channel, limits);
        }
    }

    /// <summary>
    /// For an answer the admit stage did not decide (a failure before it, a token count): where the caller stands
    /// against its limits, charging nothing, in the door's headers.
    /// </summary>
    private async Task DescribeRateLimitsAsync(IFrontDoor door, IResponseChannel channel, RequestRecord record)
    {
        if (record.Caller is null)
        {
            return;
        }

        await admission.DescribeAsync(record, channel.Aborted);
        AddRateLimitHeaders(door, channel, record);
    }

    private void RefuseWhenStopping()
    {
        if (drain.IsStopping)
        {
            throw StreamStage.ShuttingDown();
        }
    }

    /// <summary>The door's reader; its decisions worth a log line are logged.</summary>
    private MessageRequest Read(IFrontDoor door, JsonElement body, string requestId, bool countOnly = false)
    {
        var notes = new List<string>(0);
        var request = door.ReadRequest(body, countOnly, notes);
        foreach (var note in notes)
        {
            LogNote(logger, requestId, LogValue.Clip(note)!);
        }

        return request;
    }

    /// <summary>
    /// The thinking replay filter for the route's target: what the model may see of the conversation. A request
    /// whose conversation lost blocks here no longer matches the bytes its client sent, so it loses its source.
    /// </summary>
    private MessageRequest Replayable(MessageRequest request, ModelRoute route, bool countOnly, string requestId)
    {
        // A count is taken as the request would be sent: thinking left out of a message is not counted either.
        var checksSignatures = apis.For(route).ChecksThinkingSignatures;
        var messages = ThinkingReplay.ForTarget(request.Messages, thinkingKey.Value, checksSignatures, out var dropped);
        if (dropped == 0)
        {
            return ReferenceEquals(messages, request.Messages) ? request : request with { Messages = messages };
        }

        if (!countOnly)
        {
            LogForeignThinking(logger, requestId, dropped);
        }

        return request with { Messages = messages, Source = null };
    }

    /// <summary>The context-editing stage, counting with the same counter <c>count_tokens</c> answers with.</summary>
    private ValueTask<ContextEditOutcome> EditContextAsync(MessageRequest request, ModelRoute route, CancellationToken cancellationToken) =>
        request.ContextManagement is null
            ? ValueTask.FromResult(new ContextEditOutcome(request, null, null))
            : ApplyEditsAsync(request, route, cancellationToken);

    /// <summary>Apart, so a request without edits allocates no counting closure.</summary>
    private ValueTask<ContextEditOutcome> ApplyEditsAsync(MessageRequest request, ModelRoute route, CancellationToken cancellationToken) =>
        ContextEditing.ApplyAsync(request, route, async edited => (await tokenCounter.CountAsync(edited, route, cancellationToken)).Tokens);

    private ModelRoute Route(MessageRequest request, RequestRecord record)
    {
        record.Model = request.Model;
        var route = catalog.Resolve(request.Model);
        record.Caller?.EnsureMayUse(route.Model.Name);
        record.Target = route.Upstream.Name;
        record.UpstreamModel = route.UpstreamModel;
        return route;
    }

    private async Task RespondWholeAsync(IFrontDoor door, MessageRequest request, ModelRoute route, IResponseChannel channel, RequestRecord record)
    {
        var accumulator = new MessageAccumulator();
        var assembler = new StreamAssembler(accumulator);
        var loop = serverTools?.Prepare(request, route);
        var send = loop is not null
            ? loop.SendAsync((turn, _, token) => forwarder.SendAsync(turn, route, null, token, record), channel.Aborted)
            : forwarder.SendAsync(request, route, null, channel.Aborted, record);
        using (var response = await send)
        {
            if (response is IRelayableResponse { IsStream: false } relay && relay.Dialect == door.Name && !ContextEditing.AnswerReportsEdits(request))
            {
                await RelayWholeAsync(door, relay, channel, record);
                return;
            }

            assembler.Start(Ids.NewMessageId(), request.Model, default);
            await response.ReadAsync(assembler, null, channel.Aborted);
            assembler.Complete();
        }

        var message = accumulator.ToResponse();
        record.Settle(message.Usage);

        // Settled before the answer goes out: a client that sends its next request as soon as it has read this one
        // finds its concurrency slot free and this answer's tokens charged.
        record.Admission?.Complete(record);
        channel.Begin(200, door.MessageContentType);
        door.WriteMessage(channel.Body, message, request);
        await channel.Body.FlushAsync(channel.Aborted);
    }

    /// <summary>An answer already in the door's dialect goes out as the upstream wrote it; its usage is read for the record.</summary>
    private static async Task RelayWholeAsync(IFrontDoor door, IRelayableResponse relay, IResponseChannel channel, RequestRecord record)
    {
        var body = await relay.ReadMessageAsync(channel.Aborted);
        record.Settle(relay.Usage);
        record.Admission?.Complete(record);
        channel.Begin(200, door.MessageContentType);
        channel.Body.Write(body.Span);
        await channel.Body.FlushAsync(channel.Aborted);
    }

    [LoggerMessage(EventId = 21, Level = LogLevel.Information, Message = "{RequestId} request body (LogPromptText is on): {Body}")]
    private static partial void LogPrompt(ILogger logger, string requestId, string body);

    [LoggerMessage(EventId = 22, Level = LogLevel.Information,
        Message = "{RequestId} left out {Count} thinking block(s) whose signature is not Switchboard's (another provider's, empty or edited): they are not sent to the model")]
    private static partial void LogForeignThinking(ILogger logger, string requestId, int count);

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "{RequestId} request adjusted: {Note}")]
    private static partial void LogNote(ILogger logger, string requestId, string note);
}
