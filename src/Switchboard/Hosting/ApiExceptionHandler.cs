using Microsoft.AspNetCore.Diagnostics;
using Switchboard.Canonical;
using Switchboard.Ingress;
using Switchboard.Pipeline;

namespace Switchboard.Hosting;

/// <summary>
/// The last word on an exception no endpoint handled: an error in the dialect of the request's endpoint or path.
/// Kestrel's own request errors (malformed chunked framing, a body that stops arriving, a body over the limit) keep
/// their status as 400, 408 and 413; anything else is a 500 <c>api_error</c> whose stack trace goes to the log only.
/// </summary>
public sealed partial class ApiExceptionHandler(ErrorDialects dialects, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var error = exception switch
        {
            ApiException api => api.Error,
            BadHttpRequestException bad => FromBadRequest(httpContext, bad),
            _ => null,
        };
        if (error is null)
        {
            LogUnhandled(logger, exception, httpContext.TraceIdentifier);
            error = new ApiError(ApiErrorKind.Api, "Internal server error");
        }

        // The handler middleware cleared the matched endpoint; it keeps the original for us.
        var endpoint = httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint;
        var dialect = endpoint?.Metadata.GetMetadata<IErrorDialect>() ?? dialects.For(httpContext.Request.Path);
        if (httpContext.Features.Get<RequestRecord>() is { } record)
        {
            record.ErrorKind = error.Kind;
        }

        await ErrorResponse.WriteAsync(httpContext, dialect, error).ConfigureAwait(false);
        return true;
    }

    private ApiError FromBadRequest(HttpContext context, BadHttpRequestException bad)
    {
        LogBadRequest(logger, context.TraceIdentifier, bad.StatusCode, bad.Message);
        var kind = ApiErrorKinds.FromStatus(bad.StatusCode);
        var message = kind switch
        {
            ApiErrorKind.RequestTimeout => "The request body did not arrive in time",
            ApiErrorKind.RequestTooLarge => "Request exceeds the maximum size",
            _ => $"Malformed request: {bad.Message}",
        };
        return new ApiError(kind, message);
    }

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "{RequestId} failed unexpectedly")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string requestId);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "{RequestId} bad request from the client ({Status}): {Reason}")]
    private static partial void LogBadRequest(ILogger logger, string requestId, int status, string reason);
}
