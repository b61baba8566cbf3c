using Switchboard.Canonical;
using Switchboard.Configuration;
using Switchboard.Egress;
using Switchboard.Pipeline;
using Switchboard.Telemetry;

namespace Switchboard.Hosting;

/// <summary>
/// Gives every request a <c>req_…</c> id (the <c>request-id</c> header and error bodies carry it) and its
/// <see cref="RequestRecord"/>, writes one log line from that record when it ends, and leaves errors to the exception
/// handler (<see cref="ErrorHandling"/>), so no client
/// ever sees a stack trace. No key and no prompt text reaches this log. It also starts the request's
/// <see cref="UpstreamWait"/> clock, and reports Switchboard's own overhead (time not spent waiting on an upstream)
/// in the log line, the <c>switchboard.overhead</c> metric and, when enabled, a response header.
/// </summary>
public sealed partial class RequestLogMiddleware(
    RequestDelegate next, ILogger<RequestLogMiddleware> logger, TimeProvider time, SwitchboardOptions options, OverheadMetrics metrics,
    IEnumerable<IRequestSettlement> settlements)
{
    public const string OverheadHeader = "x-switchboard-overhead-us";

    private readonly IRequestSettlement[] _settlements = settlements.ToArray();

    public async Task InvokeAsync(HttpContext context)
    {
        var started = time.GetTimestamp();
        var wait = UpstreamWait.Begin(time);
        context.TraceIdentifier = Ids.NewRequestId();
        context.Response.Headers["request-id"] = context.TraceIdentifier;
        if (options.Diagnostics.OverheadHeader)
        {
            context.Response.OnStarting(AddOverheadHeader, new OverheadClock(context, wait, time, started));
        }

        var record = new RequestRecord
        {
            RequestId = context.TraceIdentifier,
            StartedAt = time.GetUtcNow(),
            SessionKey = Routing.Pools.AffinityKey.FromHeaders(name => context.Request.Headers[name].FirstOrDefault()),
        };
        context.Features.Set(record);
        try
        {
            await next(context);
        }
        catch (Exception exception) when (context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            // Failures before the response started are the exception handler's (ErrorHandling); once it started
            // there is no status left to set, and the body already says what it can.
            LogUnhandled(logger, exception, context.TraceIdentifier);
            record.ErrorKind ??= ApiErrorKind.Api;
        }
        catch (OperationCanceledException)
        {
            // The client went away; there is nobody left to answer.
        }
        finally
        {
            var total = time.GetElapsedTime(started);
            var overhead = Overhead(total, wait);
            if (wait.Waits > 0)
            {
                metrics.Record(overhead, IsStream(context.Response));
            }

            record.Status = record.ClientLeft || (context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted) ? 499 : context.Response.StatusCode;
            record.DurationMs = total.TotalMilliseconds;
            record.OverheadUs = (long)overhead.TotalMicroseconds;
            foreach (var settlement in _settlements)
            {
                settlement.Settle(record);
            }

            if (logger.IsEnabled(LogLevel.Information))
            {
                logger.Log(LogLevel.Information, RequestEvent, new RequestLogEntry(context.TraceIdentifier, context.Request.Method,
                    LogValue.Clip(context.Request.Path.Value) ?? "", record, System.Diagnostics.Activity.Current), null, RequestLogEntry.Formatter);
            }
        }
    }

    private static TimeSpan Overhead(TimeSpan total, UpstreamWait wait)
    {
        var overhead = total - wait.Waited;
        return overhead < TimeSpan.Zero ? TimeSpan.Zero : overhead;
    }

    private static bool IsStream(HttpResponse response) =>
        response.ContentType?.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>Runs as the headers go out, so the figure covers everything but writing the body itself.</summary>
    private static Task AddOverheadHeader(object state)
    {
        var clock = (OverheadClock)state;
        var response = clock.Context.Response;
        if (!IsStream(response))
        {
            var overhead = Overhead(clock.Time.GetElapsedTime(clock.Started), clock.Wait);
            response.Headers[OverheadHeader] = ((long)overhead.TotalMicroseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return Task.CompletedTask;
    }

    /// <summary>The one line per request (<see cref="RequestLogEntry"/>: text, or the same fields as JSON properties with the trace id).</summary>
    private static readonly EventId RequestEvent = new(1, "LogRequest");

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "{RequestId} failed unexpectedly")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string requestId);

    private sealed record OverheadClock(HttpContext Context, UpstreamWait Wait, TimeProvider Time, long Started);
}
