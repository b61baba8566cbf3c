using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Switchboard.EndToEnd.Memory;

/// <summary>
/// A model server that reads each request body to its end and gives one short canned answer: unlike the recording
/// fake, it keeps nothing of a 20 MB request, so the test process stays small.
/// </summary>
internal sealed class DrainingUpstream : IAsyncDisposable
{
    private const string Completion = """
        {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"memory-model","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":1,"total_tokens":11}}
        """;

    private readonly WebApplication _app;

    private DrainingUpstream(WebApplication app) => _app = app;

    public string BaseUrl => _app.Urls.First().TrimEnd('/') + "/v1";

    public static async Task<DrainingUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Listen(IPAddress.Loopback, 0);
        });
        var app = builder.Build();
        app.MapPost("/v1/chat/completions", async context =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(Completion, context.RequestAborted);
        });
        app.MapGet("/v1/models", () => Results.Text("""{"object":"list","data":[{"id":"memory-model","object":"model"}]}""", "application/json"));
        await app.StartAsync();
        return new DrainingUpstream(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
