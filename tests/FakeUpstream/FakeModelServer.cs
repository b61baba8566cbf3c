using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Switchboard.FakeUpstream;

/// <summary>
/// A scriptable OpenAI-compatible model server on Kestrel (127.0.0.1). Replies queued with <see cref="Enqueue"/>
/// answer <c>POST /v1/chat/completions</c> in order; every request is recorded for assertions.
/// </summary>
public sealed partial class FakeModelServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ScriptedReply> _script = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly Lock _requestsLock = new();
    private readonly ConcurrentQueue<SearchCall> _searches = new();

    private FakeModelServer(WebApplication app, FakeServerOptions options)
    {
        _app = app;
        Options = options;
    }

    public FakeServerOptions Options { get; }

    /// <summary><c>http://127.0.0.1:PORT</c>, where the tokenizer endpoints live.</summary>
    public string RootUrl { get; private set; } = "";

    /// <summary><c>http://127.0.0.1:PORT/v1</c>: the OpenAI-compatible base URL.</summary>
    public string BaseUrl => RootUrl + "/v1";

    public int QueuedReplies => _script.Count;

    /// <summary>Searches the fake search backends received (<see cref="SearchEndpoints"/>), in arrival order.</summary>
    public IReadOnlyList<SearchCall> Searches => [.. _searches];

    /// <summary>The base URL of a fake search backend: <c>searxng</c>, <c>brave</c>, <c>tavily</c> or <c>exa</c>.</summary>
    public string SearchUrl(string provider) => $"{RootUrl}/search/{provider}";

    internal void RecordSearch(SearchCall call) => _searches.Enqueue(call);

    /// <summary>Every <c>/v1/chat/completions</c> request received, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => Snapshot(r => r.Path == "/v1/chat/completions");

    /// <summary>Every request with a body received (chat, tokenizer), in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> AllRequests => Snapshot(static _ => true);

    public static async Task<FakeModelServer> StartAsync(FakeServerOptions? options = null)
    {
        options ??= new FakeServerOptions();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, options.Port);
            kestrel.Limits.MaxRequestBodySize = 256 * 1024 * 1024;
            kestrel.AddServerHeader = false;
        });
        var app = builder.Build();
        var server = new FakeModelServer(app, options);
        app.Run(server.DispatchAsync);
        await app.StartAsync();
        server.RootUrl = app.Urls.First().TrimEnd('/');
        return server;
    }

    public void Enqueue(ScriptedReply reply) => _script.Enqueue(reply);

    public void Enqueue(params IEnumerable<ScriptedReply> replies)
    {
        foreach (var reply in replies)
        {
            _script.Enqueue(reply);
        }
    }

    /// <summary>Forgets queued replies and recorded requests.</summary>
    public void Reset()
    {
        _script.Clear();
        lock (_requestsLock)
        {
            _requests.Clear();
        }
    }

    /// <summary>Runs until the process is asked to stop (standalone use).</summary>
    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    internal ScriptedReply NextReply() =>
        _script.TryDequeue(out var reply) ? reply : Options.DefaultReply ?? ScriptedReply.Text("Hello from the fake model server.");

    internal async Task<RecordedRequest> RecordAsync(HttpContext http)
    {
        JsonElement body = default;
        if (http.Request.ContentLength is not 0)
        {
            try
            {
                using var document = await JsonDocument.ParseAsync(http.Request.Body, default, http.RequestAborted);
                body = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                // Recorded with an Undefined body; the endpoint answers 400.
            }
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in http.Request.Headers)
        {
            headers[name.ToLowerInvariant()] = values.ToString();
        }

        var recorded = new RecordedRequest(http.Request.Method, http.Request.Path.Value ?? "", headers, body);
        if (Options.RecordRequests)
        {
            lock (_requestsLock)
            {
                _requests.Add(recorded);
            }
        }

        return recorded;
    }

    private Task DispatchAsync(HttpContext http)
    {
        string path = http.Request.Path.Value ?? "";
        bool post = HttpMethods.IsPost(http.Request.Method);
        if (path.StartsWith("/v1/", StringComparison.Ordinal) && Options.ApiKey is { } key)
        {
            if (Options.MessagesAuth && !AnthropicKeyMatches(http, key))
            {
                return PlainAnswers.AnthropicUnauthorized(http);
            }

            if (!Options.MessagesAuth && http.Request.Headers.Authorization != "Bearer " + key && !MessagesKeyMatches(http, key))
            {
                return PlainAnswers.Unauthorized(http);
            }
        }

        if (path.StartsWith("/search/", StringComparison.Ordinal))
        {
            return SearchEndpoints.HandleAsync(http, this);
        }

        if (path.StartsWith("/pages/", StringComparison.Ordinal))
        {
            return SearchEndpoints.PageAsync(http, this);
        }

        return (path, post) switch
        {
            ("/v1/messages", true) => MessagesEndpoint.HandleAsync(http, this),
            ("/v1/messages/count_tokens", true) => MessagesEndpoint.CountTokensAsync(http, this),
            ("/v1/chat/completions", true) => ChatCompletionsEndpoint.HandleAsync(http, this),
            ("/v1/models", false) => ModelsEndpoint.HandleAsync(http, Options),
            ("/tokenize", true) when Options.Tokenizer != TokenizerStyle.None => TokenizerEndpoints.TokenizeAsync(http, this),
            ("/apply-template", true) when Options.Tokenizer == TokenizerStyle.LlamaCpp => TokenizerEndpoints.ApplyTemplateAsync(http, this),
            ("/health", false) => Task.CompletedTask,
            ("/_script", true) => ControlEndpoints.ScriptAsync(http, this),
            ("/_requests", false) => ControlEndpoints.RequestsAsync(http, this),
            ("/_reset", true) => ControlEndpoints.ResetAsync(http, this),
            _ => PlainAnswers.NotFound(http, Options.Tokenizer),
        };
    }

    private List<RecordedRequest> Snapshot(Func<RecordedRequest, bool> filter)
    {
        lock (_requestsLock)
        {
            return _requests.Where(filter).ToList();
        }
    }
}
