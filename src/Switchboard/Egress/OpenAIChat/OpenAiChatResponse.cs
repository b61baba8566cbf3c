using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Buffers;
using Switchboard.Canonical;
using Switchboard.Egress;
using Switchboard.Egress.OpenAIChat.Profiles;
using Switchboard.Routing;

namespace Switchboard.Egress.OpenAIChat;

/// <summary>
/// A Chat Completions answer whose status was success. Owns the request and its pooled body until the answer has
/// been read, so nothing goes back to the pool while the connection might still use it.
/// </summary>
internal sealed partial class OpenAiChatResponse(
    MessageRequest request,
    ModelRoute route,
    HttpRequestMessage message,
    BodyBuffer requestBody,
    HttpResponseMessage response,
    UpstreamDeadline deadline,
    ILogger? logger = null) : IUpstreamResponse
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private int _bodyReleased;

    /// <summary>The server was not sent the stop sequences, and was asked to stream: Switchboard finds them itself.</summary>
    public bool MatchStopSequences { get; init; }

    /// <summary>Far above any real completion; stops a misbehaving server from filling memory.</summary>
    private const int CompletionBodyLimit = 32 * 1024 * 1024;

    public async Task ReadAsync(StreamAssembler target, StreamPacing? pacing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);

        // The server has the request: its body need not live as long as the answer does.
        if (message.Content is SentBodyContent { Sent: true })
        {
            ReleaseRequestBody();
        }

        var upstream = route.Upstream;
        target.ToolArgumentsRepaired = () => ToolArgumentsLog.Repaired(_logger, upstream.Name);
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (Is(mediaType, "text/html"))
        {
            throw UpstreamFailure.NotAChatCompletion(upstream);
        }

        // Go by what the server sent: some ignore "stream": true and answer with one JSON completion.
        var asStream = Is(mediaType, "text/event-stream") || ((request.Stream || MatchStopSequences) && !Is(mediaType, "application/json"));

        var content = route.Profile.CreateParser(request);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            var body = await response.Content.ReadAsStreamAsync(linked.Token).ConfigureAwait(false);
            if (asStream)
            {
                body = deadline.Watch(body);
            }
            if (pacing is not null)
            {
                body = pacing.Wrap(body);
            }

            var shape = asStream
                ? await ChatStreamReader.ReadAsync(body, target, content, request.StopSequences, upstream.Name, MatchStopSequences, linked.Token).ConfigureAwait(false)
                : await ReadCompletionAsync(body, target, content, linked.Token).ConfigureAwait(false);
            if (shape.StopReported is { } reported)
            {
                StopReports.Observe(upstream, reported);
            }

            Judge(shape, asStream);
        }
        catch (OperationCanceledException) when (deadline.IdleExpired && !deadline.Expired && !cancellationToken.IsCancellationRequested)
        {
            throw Logged(UpstreamFailureKind.TimedOutIdle, UpstreamFailure.WentSilent(upstream));
        }
        catch (OperationCanceledException) when (deadline.Expired && !cancellationToken.IsCancellationRequested)
        {
            throw Logged(UpstreamFailureKind.TimedOutMidStream,
                UpstreamFailure.TimedOut(upstream, $"did not finish its answer within {upstream.Options.TimeoutSeconds:0.###} s", midStream: true));
        }
        catch (Exception exception) when (exception is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            throw Logged(UpstreamFailureKind.Reset, UpstreamFailure.BrokeOff(upstream));
        }
        catch (JsonException)
        {
            throw Logged(UpstreamFailureKind.BadResponse, UpstreamFailure.MalformedStream(upstream));
        }
        catch (ApiException failure) when (failure.Data[ChatErrorReader.LoggedBodyKey] is string body)
        {
            ErrorLog.ErrorInAnswer(_logger, upstream.Name, failure.Message);
            ErrorLog.ErrorBody(_logger, upstream.Name, body);
            throw;
        }
    }

    private ApiException Logged(UpstreamFailureKind kind, ApiException failure)
    {
        ErrorLog.FailedMidAnswer(_logger, route.Upstream.Name, kind.LogName());
        return failure;
    }

    public void Dispose()
    {
        response.Dispose();
        message.Dispose();
        ReleaseRequestBody();
        deadline.Dispose();
    }

    /// <summary>Whether the pooled request body has gone back (for tests).</summary>
    internal bool RequestBodyReleased => Volatile.Read(ref _bodyReleased) == 1;

    /// <summary>Once only: the read path and the disposal may both get here, and a pooled array goes back once.</summary>
    private void ReleaseRequestBody()
    {
        if (Interlocked.Exchange(ref _bodyReleased, 1) == 0)
        {
            requestBody.Dispose();
        }
    }

    /// <summary>
    /// An answer that is not one, or that was cut short, is an error rather than an empty or silent <c>end_turn</c>;
    /// a proper end that merely lacks a finish reason is accepted, with a warning.
    /// </summary>
    private void Judge(ChatAnswerShape shape, bool streamed)
    {
        var upstream = route.Upstream;
        switch (shape.Ending)
        {
            case ChatAnswerEnding.NoAnswer:
                Log.NoAnswer(_logger, upstream.Name, streamed, shape.AnyChunk);
                throw streamed ? UpstreamFailure.MalformedStream(upstream) : UpstreamFailure.NotAChatCompletion(upstream);
            case ChatAnswerEnding.CutShort:
                Log.CutShort(_logger, upstream.Name);
                throw UpstreamFailure.BrokeOff(upstream);
            case ChatAnswerEnding.MissingFinishReason:
                Log.MissingFinishReason(_logger, upstream.Name, streamed);
                break;
        }
    }

    private async Task<ChatAnswerShape> ReadCompletionAsync(Stream body, StreamAssembler target, IContentParser content, CancellationToken cancellationToken)
    {
        var upstream = route.Upstream;
        using var completion = new BodyBuffer();
        if (!await completion.ReadFromAsync(body, CompletionBodyLimit, cancellationToken).ConfigureAwait(false))
        {
            throw UpstreamFailure.Create(
                UpstreamFailureKind.BadResponse,
                $"Upstream '{upstream.Name}' returned a response larger than {CompletionBodyLimit / (1024 * 1024)} MB");
        }

        if (!StartsWithObject(completion.WrittenSpan))
        {
            throw UpstreamFailure.NotAChatCompletion(upstream);
        }

        try
        {
            return ChatResponseReader.Read(completion.WrittenSpan, target, content, request.StopSequences, upstream.Name, MatchStopSequences);
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw UpstreamFailure.NotAChatCompletion(upstream);
        }
    }

    private static bool Is(string? mediaType, string expected) =>
        string.Equals(mediaType, expected, StringComparison.OrdinalIgnoreCase);

    private static bool StartsWithObject(ReadOnlySpan<byte> body)
    {
        body = body.TrimStart(" \t\r\n"u8);
        if (body.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            body = body[3..].TrimStart(" \t\r\n"u8);
        }

        return !body.IsEmpty && body[0] == (byte)'{';
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Upstream {Upstream} sent no usable answer (streamed: {Streamed}, any chat chunk: {AnyChunk}); the request fails")]
        public static partial void NoAnswer(ILogger logger, string upstream, bool streamed, bool anyChunk);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Upstream {Upstream} ended its stream with neither a finish reason nor [DONE]; the answer is reported as cut short")]
        public static partial void CutShort(ILogger logger, string upstream);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Upstream {Upstream} ended its answer without a finish reason (streamed: {Streamed}); reported as end_turn")]
        public static partial void MissingFinishReason(ILogger logger, string upstream, bool streamed);
    }
}
