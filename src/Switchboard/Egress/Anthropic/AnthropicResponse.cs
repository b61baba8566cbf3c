using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Switchboard.Buffers;
using Switchboard.Canonical;
using Switchboard.Routing;

namespace Switchboard.Egress.Anthropic;

/// <summary>
/// A Messages API answer whose status was success: relayed as it is to an Anthropic door, or read into canonical
/// content for any other. Owns the request and its pooled body until the answer has been read. Whatever goes wrong
/// in the answer (a malformed event, an <c>error</c> event, a stream cut short, a time limit) becomes an
/// <see cref="ApiException"/>, which the pipeline turns into the door's in-stream error.
/// </summary>
internal sealed partial class AnthropicResponse(
    MessageRequest request,
    ModelRoute route,
    HttpRequestMessage message,
    BodyBuffer requestBody,
    HttpResponseMessage response,
    UpstreamDeadline deadline,
    ILogger logger) : IRelayableResponse
{
    /// <summary>Far above any real message; stops a misbehaving server from filling memory.</summary>
    private const int MessageBodyLimit = 32 * 1024 * 1024;

    private BodyBuffer? _whole;

    public string Dialect => AnthropicUpstream.ApiName;

    public bool IsStream { get; } = string.Equals(response.Content.Headers.ContentType?.MediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase)
        || (request.Stream && response.Content.Headers.ContentType?.MediaType is null);

    public Usage Usage { get; private set; }

    public bool ContentSent { get; private set; }

    private string Upstream => route.Upstream.Name;

    public async Task RelayStreamAsync(IBufferWriter<byte> output, StreamPacing pacing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(pacing);
        await ReadEventsAsync(pacing, (raw, data, in e) =>
        {
            switch (e.Type)
            {
                case MessagesEventType.MessageStart:
                    Usage = AnthropicUsageReader.FromMessage(data[e.Message], Usage);
                    break;
                case MessagesEventType.ContentBlockStart:
                    ContentSent = true;
                    break;
                case MessagesEventType.MessageDelta:
                    Usage = AnthropicUsageReader.Merge(data[e.Usage], Usage);
                    break;
                case MessagesEventType.Error:
                    // The upstream's own words stay out of the client's stream: the door writes its error event.
                    throw AnthropicErrorReader.FromEvent(data, Upstream);
            }

            output.Write(raw);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task ReadAsync(StreamAssembler target, StreamPacing? pacing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var content = new MessagesContentReader(target);
        if (IsStream)
        {
            await ReadEventsAsync(pacing, (_, data, in e) => content.OnEvent(data, e, Upstream), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var body = await ReadMessageAsync(cancellationToken).ConfigureAwait(false);
            using var document = JsonDocument.Parse(body);
            content.OnMessage(document.RootElement);
        }

        if (content.SkippedBlocks is { } skipped)
        {
            Log.Skipped(logger, Upstream, Telemetry.LogValue.Clip(string.Join(", ", skipped.Distinct(StringComparer.Ordinal)))!);
        }
    }

    public async Task<ReadOnlyMemory<byte>> ReadMessageAsync(CancellationToken cancellationToken)
    {
        if (_whole is not null)
        {
            return _whole.WrittenMemory;
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var whole = new BodyBuffer();
        _whole = whole;
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(linked.Token).ConfigureAwait(false);
            using (UpstreamWait.Mark())
            {
                if (!await whole.ReadFromAsync(stream, MessageBodyLimit, linked.Token).ConfigureAwait(false))
                {
                    throw Failed("too_large", UpstreamFailure.Create(UpstreamFailureKind.BadResponse,
                        $"Upstream '{Upstream}' returned a response larger than {MessageBodyLimit / (1024 * 1024)} MB"));
                }
            }
        }
        catch (OperationCanceledException) when (deadline.Expired && !cancellationToken.IsCancellationRequested)
        {
            throw Failed(UpstreamFailureKind.TimedOutMidStream.LogName(),
                UpstreamFailure.TimedOut(route.Upstream, $"did not finish its answer within {route.Upstream.Options.TimeoutSeconds:0.###} s", midStream: true));
        }
        catch (Exception exception) when (exception is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            throw Failed(UpstreamFailureKind.Reset.LogName(), UpstreamFailure.BrokeOff(route.Upstream));
        }

        Usage = CheckMessage(whole.WrittenSpan);
        return whole.WrittenMemory;
    }

    /// <summary>The usage of a whole answer, which must be a JSON object of type <c>message</c>.</summary>
    private Usage CheckMessage(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 256 });
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("type", out var type) && type.ValueEquals("message"u8)
                && root.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array)
            {
                return root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object
                    ? AnthropicUsageReader.Merge(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(usage), default)
                    : default;
            }

            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("type", out var error) && error.ValueEquals("error"u8))
            {
                throw AnthropicErrorReader.FromEvent(body, Upstream);
            }
        }
        catch (JsonException)
        {
        }

        throw Failed(UpstreamFailureKind.BadResponse.LogName(), NotAMessage());
    }

    private delegate void EventHandler(ReadOnlySpan<byte> raw, ReadOnlySpan<byte> data, in MessagesEvent e);

    /// <summary>
    /// Reads the stream event by event, each checked before <paramref name="onEvent"/> sees it. A stream that ends
    /// without <c>message_stop</c>, or inside an event, was cut short.
    /// </summary>
    private async Task ReadEventsAsync(StreamPacing? pacing, EventHandler onEvent, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        using var framer = new SseEventFramer();
        var sawStop = false;
        var anyEvent = false;
        try
        {
            var body = deadline.Watch(await response.Content.ReadAsStreamAsync(linked.Token).ConfigureAwait(false));
            if (pacing is not null)
            {
                body = pacing.Wrap(body);
            }

            while (true)
            {
                var read = await ReadAsync(body, framer.FreeSpace(), pacing is null, linked.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                framer.Advance(read);
                while (framer.TryNext(out var next))
                {
                    if (!next.HasData)
                    {
                        continue;
                    }

                    var data = next.Data.Span;
                    var scanned = MessagesEvent.Scan(data);
                    anyEvent = true;
                    sawStop |= scanned.Type == MessagesEventType.MessageStop;
                    onEvent(next.Raw.Span, data, scanned);
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IdleExpired && !deadline.Expired && !cancellationToken.IsCancellationRequested)
        {
            throw Failed(UpstreamFailureKind.TimedOutIdle.LogName(), UpstreamFailure.WentSilent(route.Upstream));
        }
        catch (OperationCanceledException) when (deadline.Expired && !cancellationToken.IsCancellationRequested)
        {
            throw Failed(UpstreamFailureKind.TimedOutMidStream.LogName(),
                UpstreamFailure.TimedOut(route.Upstream, $"did not finish its answer within {route.Upstream.Options.TimeoutSeconds:0.###} s", midStream: true));
        }
        catch (Exception exception) when (exception is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            throw Failed(UpstreamFailureKind.Reset.LogName(), UpstreamFailure.BrokeOff(route.Upstream));
        }
        catch (Exception exception) when (exception is JsonException or InvalidDataException)
        {
            throw Failed(UpstreamFailureKind.BadResponse.LogName(), UpstreamFailure.MalformedStream(route.Upstream));
        }
        catch (ApiException failure)
        {
            Log.ErrorInAnswer(logger, Upstream, failure.Message);
            throw;
        }

        if (!anyEvent)
        {
            throw Failed(UpstreamFailureKind.BadResponse.LogName(), UpstreamFailure.MalformedStream(route.Upstream));
        }

        if (!sawStop || framer.HasPartialEvent)
        {
            throw Failed(UpstreamFailureKind.Reset.LogName(), UpstreamFailure.BrokeOff(route.Upstream));
        }
    }

    /// <summary>A read of the upstream's body; without pacing, the wait is still marked as the upstream's time.</summary>
    private static async ValueTask<int> ReadAsync(Stream body, Memory<byte> into, bool mark, CancellationToken cancellationToken)
    {
        if (!mark)
        {
            return await body.ReadAsync(into, cancellationToken).ConfigureAwait(false);
        }

        using (UpstreamWait.Mark())
        {
            return await body.ReadAsync(into, cancellationToken).ConfigureAwait(false);
        }
    }

    private ApiException NotAMessage() =>
        UpstreamFailure.Create(UpstreamFailureKind.BadResponse, $"Upstream '{Upstream}' returned a response that is not a message");

    private ApiException Failed(string kind, ApiException failure)
    {
        Log.FailedMidAnswer(logger, Upstream, kind);
        return failure;
    }

    public void Dispose()
    {
        _whole?.Dispose();
        response.Dispose();
        message.Dispose();
        requestBody.Dispose();
        deadline.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Upstream {Upstream} failed mid-answer: {Kind}")]
        public static partial void FailedMidAnswer(ILogger logger, string upstream, string kind);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Upstream {Upstream} sent an error in its answer: {Reason}")]
        public static partial void ErrorInAnswer(ILogger logger, string upstream, string reason);

        [LoggerMessage(Level = LogLevel.Information, Message = "Upstream {Upstream} answered with blocks the client's dialect cannot show, left out: {Types}")]
        public static partial void Skipped(ILogger logger, string upstream, string types);
    }
}
