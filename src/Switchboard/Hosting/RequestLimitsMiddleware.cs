using Microsoft.AspNetCore.Http.Features;
using Switchboard.Canonical;
using Switchboard.Ingress;

namespace Switchboard.Hosting;

/// <summary>
/// Answers 414 and 431 for requests over <see cref="RequestLimits"/>, and 413 for a declared body length over the
/// body size limit, on every path and before the body is read, in the dialect of the path.
/// </summary>
public sealed class RequestLimitsMiddleware(RequestDelegate next, ErrorDialects dialects)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var target = request.Path.Value?.Length + request.PathBase.Value?.Length + request.QueryString.Value?.Length ?? 0;
        if (target > RequestLimits.MaxTargetBytes)
        {
            return dialects.WriteAsync(context, new ApiError(ApiErrorKind.UriTooLong,
                $"Request URI is too long: the limit is {RequestLimits.MaxTargetBytes} bytes"));
        }

        if (request.Headers.Count > RequestLimits.MaxHeaderCount)
        {
            return dialects.WriteAsync(context, new ApiError(ApiErrorKind.HeadersTooLarge,
                $"Too many request headers: the limit is {RequestLimits.MaxHeaderCount}"));
        }

        if (HeaderBytes(request.Headers) > RequestLimits.MaxHeaderBytes)
        {
            return dialects.WriteAsync(context, new ApiError(ApiErrorKind.HeadersTooLarge,
                $"Request headers are too large: the limit is {RequestLimits.MaxHeaderBytes} bytes in total"));
        }

        if (request.ContentLength is { } length
            && context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize is { } max && length > max)
        {
            return dialects.WriteAsync(context, new ApiError(ApiErrorKind.RequestTooLarge,
                $"Request exceeds the maximum size: the limit is {max} bytes"));
        }

        return next(context);
    }

    private static long HeaderBytes(IHeaderDictionary headers)
    {
        long total = 0;
        foreach (var (name, values) in headers)
        {
            total += name.Length;
            foreach (var value in values)
            {
                total += value?.Length ?? 0;
            }
        }

        return total;
    }
}
