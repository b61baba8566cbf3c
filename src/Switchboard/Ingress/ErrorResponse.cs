using System.Globalization;
using System.Text.Json;
using Switchboard.Canonical;

namespace Switchboard.Ingress;

/// <summary>Writes an error as a complete JSON response in a given dialect: status, advice headers, body.</summary>
public static class ErrorResponse
{

    /// <summary>
    /// Does nothing once the response has started: then the status line is gone, and a stream reports failures with
    /// its own error event.
    /// </summary>
    public static async Task WriteAsync(HttpContext context, IErrorDialect dialect, ApiError error)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(dialect);
        ArgumentNullException.ThrowIfNull(error);
        var response = context.Response;
        if (response.HasStarted)
        {
            return;
        }

        response.StatusCode = dialect.StatusCode(error.Kind);
        response.ContentType = "application/json";
        response.ContentLength = null;
        response.Headers["x-should-retry"] = error.ShouldRetry ? "true" : "false";
        if (!string.IsNullOrEmpty(context.TraceIdentifier))
        {
            response.Headers["request-id"] = context.TraceIdentifier;
            if (dialect.RequestIdHeader is { } header)
            {
                response.Headers[header] = context.TraceIdentifier;
            }
        }

        if (error.RetryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = Math.Max(0, seconds).ToString(CultureInfo.InvariantCulture);
        }

        if (error.RetryAfterMilliseconds is { } milliseconds && dialect.SendsRetryAfterMilliseconds)
        {
            response.Headers["retry-after-ms"] = Math.Max(0, milliseconds).ToString(CultureInfo.InvariantCulture);
        }

        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        using (var json = new Utf8JsonWriter(response.BodyWriter, ClientJson.Writer))
        {
            dialect.WriteBody(json, error, context.TraceIdentifier);
        }

        await response.BodyWriter.FlushAsync().ConfigureAwait(false);
    }
}
