using System.Diagnostics;

namespace Switchboard.Telemetry;

/// <summary>
/// Starts the request span (<see cref="SwitchboardTracing.RequestSpan"/>) for the API paths (<c>/v1/…</c>), as a
/// child of ASP.NET Core's request activity, which carries the client's W3C <c>traceparent</c>. It wraps the request
/// log middleware, so the span is current while the request settles and <see cref="RequestSpanSettlement"/> can tag
/// it from the request record. Costs one check when nothing listens.
/// </summary>
public sealed class RequestSpanMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (!SwitchboardTracing.Source.HasListeners() || !context.Request.Path.StartsWithSegments("/v1"))
        {
            return next(context);
        }

        return TracedAsync(context);
    }

    private async Task TracedAsync(HttpContext context)
    {
        using var span = SwitchboardTracing.Source.StartActivity(SwitchboardTracing.RequestSpan, ActivityKind.Internal);
        await next(context);
    }
}
