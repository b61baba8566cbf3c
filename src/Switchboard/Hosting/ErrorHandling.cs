using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.Routing.Template;
using Switchboard.Canonical;
using Switchboard.Ingress;
using Switchboard.Ingress.Anthropic;

namespace Switchboard.Hosting;

/// <summary>
/// Wires every way a request can fail outside an endpoint to an error in the dialect of its path: the exception
/// handler, bodies for bare error statuses, the 404/405 fallback, and the request-line and header limits.
/// </summary>
public static class ErrorHandling
{
    /// <summary>Paths of the OpenAI-shaped doors; everything else speaks Anthropic's dialect.</summary>
    public static readonly string[] OpenAIPaths = ["/v1/chat/completions", "/v1/completions", "/v1/responses", "/v1/embeddings"];

    public static void AddErrorHandling(IServiceCollection services)
    {
        services.AddSingleton(new ErrorDialects(
            AnthropicErrors.Dialect,
            OpenAIPaths.Select(path => KeyValuePair.Create(path, (IErrorDialect)OpenAIErrors.Instance))));
        services.AddExceptionHandler<ApiExceptionHandler>();
    }

    /// <summary>Goes right after the middleware that assigns the request id, before anything that can fail.</summary>
    public static void UseErrorHandling(IApplicationBuilder app)
    {
        // The handler logs what it does not expect itself; the middleware's own stack-trace line would repeat it.
        // ApiExceptionHandler answers every exception; the delegate is only the middleware's required last resort.
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            SuppressDiagnosticsCallback = _ => true,
            ExceptionHandler = context => context.RequestServices.GetRequiredService<ErrorDialects>()
                .WriteAsync(context, new ApiError(ApiErrorKind.Api, "Internal server error")),
        });
        app.UseStatusCodePages(WriteBareStatusAsync);
        app.UseMiddleware<RequestLimitsMiddleware>();
    }

    /// <summary>Every path no endpoint serves, including ones whose last segment has a dot: 405 when another method would match, else 404.</summary>
    public static void MapFallback(WebApplication app)
    {
        app.MapFallback("{*path}", (HttpContext context, EndpointDataSource endpoints, ErrorDialects dialects) =>
        {
            var allowed = AllowedMethods(endpoints, context.Request.Path);
            if (allowed.Count > 0)
            {
                context.Response.Headers.Allow = string.Join(", ", allowed);
                return dialects.WriteAsync(context, new ApiError(ApiErrorKind.MethodNotAllowed,
                    $"Method {context.Request.Method} is not allowed on {context.Request.Path}; use {string.Join(" or ", allowed)}"));
            }

            return dialects.WriteAsync(context, new ApiError(ApiErrorKind.NotFound, $"Not found: {context.Request.Method} {context.Request.Path}"));
        });
    }

    /// <summary>A status set without a body (e.g. by routing or a framework component) gets one.</summary>
    private static Task WriteBareStatusAsync(StatusCodeContext status)
    {
        var context = status.HttpContext;
        var kind = ApiErrorKinds.FromStatus(context.Response.StatusCode);
        var dialects = context.RequestServices.GetRequiredService<ErrorDialects>();
        return dialects.WriteAsync(context, new ApiError(kind, $"HTTP {context.Response.StatusCode} for {context.Request.Method} {context.Request.Path}"));
    }

    private static List<string> AllowedMethods(EndpointDataSource endpoints, PathString path)
    {
        var allowed = new List<string>();
        foreach (var endpoint in endpoints.Endpoints)
        {
            if (endpoint is not RouteEndpoint route || route.Order == int.MaxValue
                || route.Metadata.GetMetadata<IHttpMethodMetadata>() is not { } methods
                || route.RoutePattern.Parameters.Any(p => p.IsCatchAll))
            {
                continue;
            }

            var matcher = new TemplateMatcher(new RouteTemplate(route.RoutePattern), new RouteValueDictionary());
            if (matcher.TryMatch(path, new RouteValueDictionary()))
            {
                allowed.AddRange(methods.HttpMethods.Where(m => !allowed.Contains(m)));
            }
        }

        return allowed;
    }
}
