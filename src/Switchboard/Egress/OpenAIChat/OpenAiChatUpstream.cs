using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Switchboard.Buffers;
using Switchboard.Canonical;
using Switchboard.Egress;
using Switchboard.Routing;

namespace Switchboard.Egress.OpenAIChat;

/// <summary>Sends canonical requests to an OpenAI-compatible <c>/chat/completions</c> endpoint.</summary>
public sealed partial class OpenAiChatUpstream(
    TimeProvider time, ServerTokenizer tokenizer, ServerModelInfo modelInfo, ILogger<OpenAiChatUpstream> logger) : IModelUpstream
{
    public const string ApiName = "openai-chat";

    public string Api => ApiName;

    public Task<int?> CountTokensAsync(MessageRequest request, ModelRoute route, CancellationToken cancellationToken) =>
        tokenizer.CountAsync(Lowered(request, route, log: false), route, cancellationToken);

    /// <summary>
    /// The request without the parts only their own dialect carries (see <see cref="RequestLowering"/>): a gated one
    /// is refused, the rest are passed on as text or left out, with a log line for each.
    /// </summary>
    private MessageRequest Lowered(MessageRequest request, ModelRoute route, bool log)
    {
        var notes = new List<string>(0);
        var lowered = RequestLowering.ForOtherDialect(request, notes, Documents.PdfLimitsOf.Upstream(route.Upstream.Options));
        if (log)
        {
            foreach (var note in notes)
            {
                Log.Adjusted(logger, route.Upstream.Name, Telemetry.LogValue.Clip(note)!);
            }
        }

        return lowered;
    }

    public Task<int?> GetContextLengthAsync(ModelRoute route, CancellationToken cancellationToken) =>
        modelInfo.GetContextLengthAsync(route, cancellationToken);

    /// <summary>Enough of an error body to find the message; the rest of a large error page is not worth reading.</summary>
    private const int ErrorBodyLimit = 64 * 1024;

    /// <summary>A fresh header value per request: header objects are mutable, so none is shared between requests.</summary>
    internal static MediaTypeHeaderValue JsonMediaType() => new("application/json");

    public async Task<IUpstreamResponse> SendAsync(MessageRequest request, ModelRoute route, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(route);
        request = Lowered(request, route, log: true);
        var upstream = route.Upstream;
        var body = new BodyBuffer();

        // A server known not to say which stop sequence ended generation is not sent them: Switchboard finds them
        // itself, on a streamed answer so that reading can end at the match (which also ends generation).
        var matchStops = request.StopSequences.Count > 0 && !StopReports.SaysWhichMatched(upstream);
        ChatRequestWriter.Write(body, request, route, request.Stream || matchStops, sendStopSequences: !matchStops);

        var message = new HttpRequestMessage(HttpMethod.Post, upstream.BaseUrl + "/chat/completions")
        {
            Content = new SentBodyContent(body.WrittenMemory) { Headers = { ContentType = JsonMediaType() } },
        };
        Authorize(message, upstream);

        // A streamed answer's headers come when generation starts; a whole answer's only when it is done, so only the
        // whole-request limit bounds that wait.
        var deadline = new UpstreamDeadline(
            UpstreamHttpClientFactory.Seconds(upstream.Options.TimeoutSeconds),
            request.Stream ? UpstreamHttpClientFactory.Seconds(upstream.Options.HeadersTimeoutSeconds) : Timeout.InfiniteTimeSpan,
            UpstreamHttpClientFactory.Seconds(upstream.Options.IdleTimeoutSeconds),
            time, cancellationToken);
        var started = time.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            response = await upstream.Http
                .SendAsync(message, HttpCompletionOption.ResponseHeadersRead, deadline.Token)
                .ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException)
        {
            // The body buffer is not returned to the pool here: an aborted send may still be reading it.
            message.Dispose();
            var failure = deadline.HeadersExpired && !cancellationToken.IsCancellationRequested
                ? HeadersTimedOut(upstream, started)
                : TranslateSendFailure(exception, upstream, deadline.Expired, started, cancellationToken);
            deadline.Dispose();
            throw failure;
        }

        deadline.HeadersReceived();
        if (!response.IsSuccessStatusCode)
        {
            try
            {
                throw await ReadErrorAsync(response, upstream, deadline.Token).ConfigureAwait(false);
            }
            finally
            {
                response.Dispose();
                message.Dispose();
                body.Dispose();
                deadline.Dispose();
            }
        }

        return new OpenAiChatResponse(request, route, message, body, response, deadline, logger) { MatchStopSequences = matchStops };
    }

    internal static void Authorize(HttpRequestMessage message, UpstreamEndpoint upstream)
    {
        if (!string.IsNullOrEmpty(upstream.Options.ApiKey))
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", upstream.Options.ApiKey);
        }
    }

    private Exception TranslateSendFailure(Exception exception, UpstreamEndpoint upstream, bool deadlineExpired, long started, CancellationToken caller)
    {
        if (caller.IsCancellationRequested)
        {
            return exception as OperationCanceledException ?? new OperationCanceledException(caller);
        }

        // Expected transport failures: one warning line with the kind, no stack trace.
        var elapsed = time.GetElapsedTime(started);
        if (exception is HttpRequestException failure && !UpstreamFailure.IsConnectTimeout(failure))
        {
            var kind = UpstreamFailure.Classify(failure);
            Log.TransportFailed(logger, upstream.Name, kind.LogName(), failure.HttpRequestError.ToString(), Innermost(failure).Message, elapsed.TotalSeconds);
            return UpstreamFailure.Unreachable(upstream, failure);
        }

        var limit = upstream.Options.TimeoutSeconds;
        if (deadlineExpired || (limit > 0 && elapsed.TotalSeconds >= limit))
        {
            Log.TransportFailed(logger, upstream.Name, UpstreamFailureKind.TimedOutBeforeHeaders.LogName(), "Timeout", "no response headers in time", elapsed.TotalSeconds);
            return UpstreamFailure.TimedOut(upstream, $"did not answer within {upstream.Options.TimeoutSeconds:0.###} s");
        }

        Log.TransportFailed(logger, upstream.Name, UpstreamFailureKind.Unreachable.LogName(), "ConnectTimeout", "no connection in time", elapsed.TotalSeconds);
        return UpstreamFailure.ConnectTimedOut(upstream, $"did not accept a connection within {upstream.Options.ConnectTimeoutSeconds:0.###} s");
    }

    private ApiException HeadersTimedOut(UpstreamEndpoint upstream, long started)
    {
        Log.TransportFailed(logger, upstream.Name, UpstreamFailureKind.TimedOutBeforeHeaders.LogName(), "HeadersTimeout", "no response headers in time",
            time.GetElapsedTime(started).TotalSeconds);
        return UpstreamFailure.TimedOut(upstream, $"sent no response headers within {upstream.Options.HeadersTimeoutSeconds:0.###} s");
    }

    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is { } inner)
        {
            exception = inner;
        }

        return exception;
    }

    private async Task<Exception> ReadErrorAsync(HttpResponseMessage response, UpstreamEndpoint upstream, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        using var errorBody = new BodyBuffer(4096);
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await errorBody.ReadFromAsync(stream, ErrorBodyLimit, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or HttpRequestException or OperationCanceledException)
        {
            // The status alone still says what happened; a body cut short is translated as far as it goes.
        }

        var retryAfter = response.Headers.TryGetValues("Retry-After", out var values) ? values.FirstOrDefault() : null;
        var failure = ChatErrorReader.Translate(status, errorBody.WrittenSpan, upstream.Name, retryAfter);

        // The client sees at most the upstream's short reason. Error bodies can echo the prompt (validation errors
        // quote the input), so the warning carries what the client was told and the body goes to Debug, bounded and
        // without credentials.
        Log.ErrorStatus(logger, upstream.Name, status, errorBody.Length, failure.Message);
        if (logger.IsEnabled(LogLevel.Debug))
        {
            ErrorLog.ErrorBody(logger, upstream.Name, UpstreamText.ForLog(errorBody.WrittenSpan));
        }
        return failure;
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Request for upstream {Upstream} adjusted: {Note}")]
        public static partial void Adjusted(ILogger logger, string upstream, string note);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Upstream {Upstream} failed: {Kind} ({Error}: {Reason}) after {Seconds:0.0} s")]
        public static partial void TransportFailed(ILogger logger, string upstream, string kind, string error, string reason, double seconds);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Upstream {Upstream} answered with status {Status} ({Bytes} bytes of body): {Reason}")]
        public static partial void ErrorStatus(ILogger logger, string upstream, int status, int bytes, string reason);
    }
}
