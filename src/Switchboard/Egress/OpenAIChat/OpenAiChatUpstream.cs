using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Switchboard.Buffers;
using Switchboard.Canonical;
using Switchboard.Egress;
using Switchboard.Pipeline;
using Switchboard.Routing;

namespace Switchboard.Egress.OpenAIChat;

/// <summary>Sends canonical requests to an OpenAI-compatible <c>/chat/completions</c> endpoint.</summary>
public sealed partial class OpenAiChatUpstream(TimeProvider time, ILogger<OpenAiChatUpstream> logger) : IModelUpstream
{
    /// <summary>Enough of an error body to find the message; the rest of a large error page is not worth reading.</summary>
    private const int ErrorBodyLimit = 64 * 1024;

    /// <summary>A fresh header value per request: header objects are mutable, so none is shared between requests.</summary>
    internal static MediaTypeHeaderValue JsonMediaType() => new("application/json");

    public async Task<IUpstreamResponse> SendAsync(MessageRequest request, ModelRoute route, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(route);
        var upstream = route.Upstream;
        var body = new BodyBuffer();

        // A server known not to say which stop sequence ended generation is not sent them: Switchboard finds them
        // itself, on a streamed answer so that reading can end at the match (which also ends generation).
        var matchStops = request.StopSequences.Count > 0 && !StopReports.SaysWhichMatched(upstream);
        ChatRequestWriter.Write(body, request, route, request.Stream || matchStops, sendStopSequences: !matchStops);

        var message = new HttpRequestMessage(HttpMethod.Post, upstream.BaseUrl + "/chat/completions")
        {
            Content = new ReadOnlyMemoryContent(body.WrittenMemory) { Headers = { ContentType = JsonMediaType() } },
        };
        Authorize(message, upstream);

        var deadline = new UpstreamDeadline(
            UpstreamHttpClientFactory.Seconds(upstream.Options.TimeoutSeconds), time, cancellationToken);
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
            var failure = TranslateSendFailure(exception, upstream, deadline.Expired, started, cancellationToken);
            deadline.Dispose();
            throw failure;
        }

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

        var elapsed = time.GetElapsedTime(started);
        if (exception is HttpRequestException failure && !UpstreamFailure.IsConnectTimeout(failure))
        {
            Log.Unreachable(logger, upstream.Name, upstream.BaseUrl, failure);
            return UpstreamFailure.Unreachable(upstream, failure);
        }

        Log.TimedOut(logger, upstream.Name, upstream.BaseUrl, elapsed.TotalSeconds);
        var limit = upstream.Options.TimeoutSeconds;
        return deadlineExpired || (limit > 0 && elapsed.TotalSeconds >= limit)
            ? UpstreamFailure.TimedOut(upstream, $"did not answer within {upstream.Options.TimeoutSeconds:0.###} s")
            : UpstreamFailure.TimedOut(upstream, $"did not accept a connection within {upstream.Options.ConnectTimeoutSeconds:0.###} s");
    }

    private async Task<Exception> ReadErrorAsync(HttpResponseMessage response, UpstreamEndpoint upstream, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        Log.ErrorStatus(logger, upstream.Name, status);
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
        return ChatErrorReader.Translate(status, errorBody.WrittenSpan, upstream.Name, retryAfter);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Upstream {Upstream} at {BaseUrl} is unreachable")]
        public static partial void Unreachable(ILogger logger, string upstream, string baseUrl, Exception exception);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Upstream {Upstream} at {BaseUrl} timed out after {Seconds:0.0} s")]
        public static partial void TimedOut(ILogger logger, string upstream, string baseUrl, double seconds);

        [LoggerMessage(Level = LogLevel.Information, Message = "Upstream {Upstream} answered with status {Status}")]
        public static partial void ErrorStatus(ILogger logger, string upstream, int status);
    }
}
