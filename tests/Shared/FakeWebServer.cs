using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Switchboard.Testing;

/// <summary>
/// A real Kestrel web server on 127.0.0.1 with a random port, standing in for the web sites Switchboard fetches from:
/// routes are set per test (a body, a redirect, a handler), every request is recorded.
/// </summary>
public sealed class FakeWebServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, RequestDelegate> _routes = new(StringComparer.Ordinal);
    private WebApplication? _app;

    private FakeWebServer()
    {
    }

    /// <summary>The port it listens on (127.0.0.1 only).</summary>
    public int Port { get; private set; }

    /// <summary>Every request received: its path and query, and its User-Agent.</summary>
    public ConcurrentQueue<(string Path, string UserAgent)> Hits { get; } = new();

    public static async Task<FakeWebServer> StartAsync()
    {
        var server = new FakeWebServer();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Run(context =>
        {
            server.Hits.Enqueue((context.Request.Path + context.Request.QueryString, context.Request.Headers.UserAgent.ToString()));
            if (server._routes.TryGetValue(context.Request.Path, out var handler))
            {
                return handler(context);
            }

            context.Response.StatusCode = 404;
            return Task.CompletedTask;
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Port = new Uri(address).Port;
        server._app = app;
        return server;
    }

    /// <summary>The URL of <paramref name="path"/> on <paramref name="host"/> (a name or literal that reaches 127.0.0.1).</summary>
    public Uri Url(string path, string host = "localhost") => new($"http://{host}:{Port}{path}");

    public int Count(string path) => Hits.Count(hit => hit.Path == path);

    public void Map(string path, RequestDelegate handler) => _routes[path] = handler;

    public void Serve(string path, string contentType, byte[] body) => Map(path, async context =>
    {
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    });

    public void Serve(string path, string contentType, string body) => Serve(path, contentType, System.Text.Encoding.UTF8.GetBytes(body));

    public void Redirect(string path, string location, int status = 302) => Map(path, context =>
    {
        context.Response.StatusCode = status;
        context.Response.Headers.Location = location;
        return Task.CompletedTask;
    });

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
