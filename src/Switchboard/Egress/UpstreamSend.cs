using Switchboard.Buffers;

namespace Switchboard.Egress;

/// <summary>
/// What every egress does the same way around one HTTP exchange with an upstream: send under its deadline and turn a
/// transport failure into the client's error of its kind (refused, reset, no connection in time, no headers in
/// time, no answer in time), and read an error answer's body (capped) and <c>Retry-After</c> for the dialect's
/// error reader.
/// </summary>
internal static partial class UpstreamSend
{
    /// <summary>Enough of an error body to find the message.</summary>
    public const int ErrorBodyLimit = 64 * 1024;

    /// <summary>
    /// Sends <paramref name="message"/> and returns once the headers are in (the deadline's headers limit then
    /// disarmed). A transport failure is logged as one warning line and thrown as the client's error; the caller's
    /// own cancellation is thrown as such.
    /// </summary>
    public static async Task<HttpResponseMessage> SendAsync(
        HttpRequestMessage message, UpstreamEndpoint upstream, UpstreamDeadline deadline, TimeProvider time, ILogger logger, CancellationToken caller)
    {
        var started = time.GetTimestamp();
        try
        {
            var response = await upstream.Http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            deadline.HeadersReceived();
            return response;
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException)
        {
            if (caller.IsCancellationRequested)
            {
                throw exception as OperationCanceledException ?? new OperationCanceledException(caller);
            }

            var elapsed = time.GetElapsedTime(started).TotalSeconds;
            if (deadline.HeadersExpired)
            {
                Log.TransportFailed(logger, upstream.Name, UpstreamFailureKind.TimedOutBeforeHeaders.LogName(), "HeadersTimeout", "no response headers in time", elapsed);
                throw UpstreamFailure.TimedOut(upstream, $"sent no response headers within {upstream.Options.HeadersTimeoutSeconds:0.###} s");
            }

            // Expected transport failures: one warning line with the kind, no stack trace.
            if (exception is HttpRequestException failure && !UpstreamFailure.IsConnectTimeout(failure))
            {
                Log.TransportFailed(logger, upstream.Name, UpstreamFailure.Classify(failure).LogName(), failure.HttpRequestError.ToString(), Innermost(failure).Message, elapsed);
                throw UpstreamFailure.Unreachable(upstream, failure);
            }

            var limit = upstream.Options.TimeoutSeconds;
            if (deadline.Expired || (limit > 0 && elapsed >= limit))
            {
                Log.TransportFailed(logger, upstream.Name, UpstreamFailureKind.TimedOutBeforeHeaders.LogName(), "Timeout", "no response headers in time", elapsed);
                throw UpstreamFailure.TimedOut(upstream, $"did not answer within {upstream.Options.TimeoutSeconds:0.###} s");
            }

            Log.TransportFailed(logger, upstream.Name, UpstreamFailureKind.Unreachable.LogName(), "ConnectTimeout", "no connection in time", elapsed);
            throw UpstreamFailure.ConnectTimedOut(upstream, $"did not accept a connection within {upstream.Options.ConnectTimeoutSeconds:0.###} s");
        }
    }

    /// <summary>
    /// An error answer's body (up to <see cref="ErrorBodyLimit"/>; a body cut short is kept as far as it goes) and its
    /// <c>Retry-After</c>. The caller disposes the buffer.
    /// </summary>
    public static async Task<(BodyBuffer Body, string? RetryAfter)> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = new BodyBuffer(4096);
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await body.ReadFromAsync(stream, ErrorBodyLimit, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or HttpRequestException or OperationCanceledException)
        {
            // The status alone still says what happened.
        }

        var retryAfter = response.Headers.TryGetValues("Retry-After", out var values) ? values.FirstOrDefault() : null;
        return (body, retryAfter);
    }

    /// <summary>
    /// Logs an error answer: the warning carries what the client was told; the body (which can echo the prompt or a
    /// key) goes to Debug only, bounded and without credentials.
    /// </summary>
    public static void LogError(ILogger logger, string upstream, int status, ReadOnlySpan<byte> body, string toldClient)
    {
        Log.ErrorStatus(logger, upstream, status, body.Length, toldClient);
        if (logger.IsEnabled(LogLevel.Debug))
        {
            Log.ErrorBody(logger, upstream, UpstreamText.ForLog(body));
        }
    }

    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is { } inner)
        {
            exception = inner;
        }

        return exception;
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Upstream {Upstream} failed: {Kind} ({Error}: {Reason}) after {Seconds:0.0} s")]
        public static partial void TransportFailed(ILogger logger, string upstream, string kind, string error, string reason, double seconds);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Upstream {Upstream} answered with status {Status} ({Bytes} bytes of body): {Reason}")]
        public static partial void ErrorStatus(ILogger logger, string upstream, int status, int bytes, string reason);

        [LoggerMessage(Level = LogLevel.Debug, Message = "Upstream {Upstream} error body: {Body}")]
        public static partial void ErrorBody(ILogger logger, string upstream, string body);
    }
}
