using System.Diagnostics;
using System.Net;
using Switchboard.Bench.FastUpstream;

// A fake OpenAI-compatible model server for load benchmarks: canned answers, no per-request serialization.
var settings = UpstreamSettings.Parse(args);
var answers = new CannedAnswers(settings);

var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    kestrel.Limits.MaxRequestBodySize = null;
    kestrel.Limits.MaxConcurrentConnections = null;
    kestrel.Listen(IPAddress.Loopback, settings.Port);
});

var app = builder.Build();
var cache = settings.PrefixCache ? new PrefixCache(settings.CacheBlocks) : null;
var chat = new ChatEndpoint(settings, answers, cache);
app.MapPost("/v1/chat/completions", chat.HandleAsync);
var messages = new MessagesEndpoint(settings, new CannedMessages(settings));
app.MapPost("/v1/messages", messages.HandleAsync);
app.MapPost("/v1/messages/count_tokens", messages.CountTokensAsync);
if (cache is not null)
{
    app.MapGet("/_cache_stats", () => Results.Text(cache.StatsJson(), "application/json"));
}

app.MapGet("/v1/models", (HttpContext context) => Write(context, "application/json", answers.Models));
app.MapGet("/health", () => "ok");

app.Lifetime.ApplicationStarted.Register(() =>
    Console.WriteLine($"FastUpstream listening on http://127.0.0.1:{settings.Port}/v1 " +
                      $"(tokens={settings.Tokens} rate={settings.Rate}/s delay={settings.DelayMs}ms stamp={settings.Stamp}) pid={Environment.ProcessId}"));
Debug.Assert(answers.Completion.Length > 0);
await app.RunAsync();

static Task Write(HttpContext context, string contentType, byte[] body)
{
    context.Response.ContentType = contentType;
    context.Response.ContentLength = body.Length;
    return context.Response.Body.WriteAsync(body).AsTask();
}
