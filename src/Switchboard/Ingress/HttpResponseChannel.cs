using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;
using Switchboard.Pipeline;

namespace Switchboard.Ingress;

/// <summary>The pipeline's answer as an ASP.NET Core response; shared by every front door.</summary>
public sealed class HttpResponseChannel(HttpContext context) : IResponseChannel
{
    public HttpContext Context { get; } = context;

    public string RequestId => Context.TraceIdentifier;

    public CancellationToken Aborted => Context.RequestAborted;

    public PipeWriter Body => Context.Response.BodyWriter;

    public bool HasStarted => Context.Response.HasStarted;

    public void Begin(int status, string contentType)
    {
        Context.Response.StatusCode = status;
        Context.Response.ContentType = contentType;
    }

    public void SetHeader(string name, string value)
    {
        if (!Context.Response.HasStarted)
        {
            Context.Response.Headers[name] = value;
        }
    }

    public void BeginStream(string contentType)
    {
        var response = Context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        response.Headers.CacheControl = "no-cache";

        // Proxies such as nginx would otherwise hold events back.
        response.Headers["X-Accel-Buffering"] = "no";
        Context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
    }
}
