using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Switchboard.FakeUpstream;

/// <summary>A search as a fake search backend received it.</summary>
public sealed record SearchCall(string Provider, string Query, int? Count, string? Country, IReadOnlyList<string> IncludeDomains, IReadOnlyList<string> ExcludeDomains, string? Key);

/// <summary>
/// Fake web search backends in each provider's own request and answer shape, under <c>/search/{provider}</c>:
/// SearXNG (<c>GET /search/searxng/search?q=…&amp;format=json</c> → <c>results[]</c>), Brave
/// (<c>GET /search/brave/res/v1/web/search</c>, <c>X-Subscription-Token</c> → <c>web.results[]</c>), Tavily
/// (<c>POST /search/tavily/search</c>, <c>api_key</c> → <c>results[]</c>) and Exa (<c>POST /search/exa/search</c>,
/// <c>x-api-key</c> → <c>results[]</c>). Every query gets the same three results (docs.example.com,
/// news.example.org, other.example.net) built from its words; a query containing <c>backend-429</c> is answered 429,
/// <c>backend-500</c> 500 with a body naming an internal address, <c>backend-slow</c> after 3 seconds.
/// </summary>
internal static class SearchEndpoints
{
    public const string Secret = "internal search node 10.9.8.7 stack trace";

    public static async Task HandleAsync(HttpContext http, FakeModelServer server)
    {
        var path = http.Request.Path.Value ?? "";
        var (provider, call) = path switch
        {
            "/search/searxng/search" => ("searxng", Searxng(http)),
            "/search/brave/res/v1/web/search" => ("brave", Brave(http)),
            "/search/tavily/search" => ("tavily", await TavilyAsync(http)),
            "/search/exa/search" => ("exa", await ExaAsync(http)),
            _ => ("", null),
        };
        if (call is null)
        {
            http.Response.StatusCode = provider.Length == 0 ? 404 : 400;
            return;
        }

        server.RecordSearch(call);
        if (call.Query.Contains("backend-429", StringComparison.Ordinal))
        {
            http.Response.StatusCode = 429;
            await http.Response.WriteAsync("{\"error\":\"rate limited\"}");
            return;
        }

        if (call.Query.Contains("backend-500", StringComparison.Ordinal))
        {
            http.Response.StatusCode = 500;
            await http.Response.WriteAsync(Secret);
            return;
        }

        if (call.Query.Contains("backend-slow", StringComparison.Ordinal))
        {
            await Task.Delay(3000, http.RequestAborted);
        }

        var hits = Hits(call.Query);
        var answer = provider switch
        {
            "searxng" => new JsonObject { ["query"] = call.Query, ["results"] = List(hits, h => new JsonObject { ["url"] = h.Url, ["title"] = h.Title, ["content"] = h.Text, ["publishedDate"] = h.Date, ["engine"] = "fake" }) },
            "brave" => new JsonObject { ["type"] = "search", ["web"] = new JsonObject { ["results"] = List(hits, h => new JsonObject { ["url"] = h.Url, ["title"] = h.Title, ["description"] = h.Text, ["page_age"] = h.Date, ["age"] = "2 days ago" }) } },
            "tavily" => new JsonObject { ["query"] = call.Query, ["results"] = List(hits, h => new JsonObject { ["url"] = h.Url, ["title"] = h.Title, ["content"] = h.Text, ["score"] = 0.9, ["published_date"] = h.Date }) },
            _ => new JsonObject { ["requestId"] = "fake", ["results"] = List(hits, h => new JsonObject { ["id"] = h.Url, ["url"] = h.Url, ["title"] = h.Title, ["text"] = h.Text, ["publishedDate"] = h.Date }) },
        };
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(answer.ToJsonString());
    }

    /// <summary>
    /// Web pages for the web fetch tool: <c>/pages/widgets</c> (HTML with a title), <c>/pages/notes.txt</c> (plain
    /// text), <c>/pages/image.png</c> (an image), <c>/pages/to-private</c> (a redirect to a private address).
    /// </summary>
    public static async Task PageAsync(HttpContext http, FakeModelServer server)
    {
        var path = http.Request.Path.Value ?? "";
        server.RecordSearch(new SearchCall("page", path, null, null, [], [], null));
        switch (path)
        {
            case "/pages/widgets":
                http.Response.ContentType = "text/html; charset=utf-8";
                await http.Response.WriteAsync("<html><head><title>Widgets page</title><script>var secret = 1;</script></head><body><nav>Menu</nav><main><h1>Widgets</h1><p>The widget answer is 42.</p></main></body></html>");
                break;
            case "/pages/notes.txt":
                http.Response.ContentType = "text/plain";
                await http.Response.WriteAsync("Plain notes: widgets weigh 3 kg.");
                break;
            case "/pages/image.png":
                http.Response.ContentType = "image/png";
                await http.Response.Body.WriteAsync(new byte[] { 0x89, 0x50, 0x4E, 0x47 });
                break;
            case "/pages/to-private":
                http.Response.StatusCode = 302;
                http.Response.Headers.Location = "http://10.255.255.1/admin";
                break;
            default:
                http.Response.StatusCode = 404;
                break;
        }
    }

    /// <summary>The three results every query gets, in order.</summary>
    public static IReadOnlyList<(string Url, string Title, string Text, string Date)> Hits(string query)
    {
        var slug = string.Join('-', query.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();
        return
        [
            ($"https://docs.example.com/{slug}", $"{query} - Example Docs", $"Example Docs on {query}: the answer is 42, measured in 2026.", "2026-11-30T10:00:00"),
            ($"https://news.example.org/{slug}", $"Latest news on {query}", $"News about {query}: reported on 30 November 2026.", "2026-11-30T09:00:00"),
            ($"https://other.example.net/{slug}", $"{query} elsewhere", $"Another page mentioning {query}.", "2026-11-29T08:00:00"),
        ];
    }

    private static JsonArray List(IEnumerable<(string Url, string Title, string Text, string Date)> hits, Func<(string Url, string Title, string Text, string Date), JsonObject> map) =>
        new([.. hits.Select(h => (JsonNode?)map(h))]);

    private static SearchCall? Searxng(HttpContext http) =>
        http.Request.Query["format"] == "json" && http.Request.Query["q"].ToString() is { Length: > 0 } q
            ? new SearchCall("searxng", q, null, null, [], [], http.Request.Headers.Authorization.ToString())
            : null;

    private static SearchCall? Brave(HttpContext http) =>
        http.Request.Headers["X-Subscription-Token"].ToString() is { Length: > 0 } key && http.Request.Query["q"].ToString() is { Length: > 0 } q
            ? new SearchCall("brave", q, int.TryParse(http.Request.Query["count"], out var n) ? n : null, NullIfEmpty(http.Request.Query["country"].ToString()), [], [], key)
            : null;

    private static async Task<SearchCall?> TavilyAsync(HttpContext http)
    {
        var body = await BodyAsync(http);
        return body?["query"]?.GetValue<string>() is { Length: > 0 } q && body["api_key"]?.GetValue<string>() is { Length: > 0 } key
            ? new SearchCall("tavily", q, body["max_results"]?.GetValue<int>(), null, Strings(body["include_domains"]), Strings(body["exclude_domains"]), key)
            : null;
    }

    private static async Task<SearchCall?> ExaAsync(HttpContext http)
    {
        var body = await BodyAsync(http);
        return body?["query"]?.GetValue<string>() is { Length: > 0 } q && http.Request.Headers["x-api-key"].ToString() is { Length: > 0 } key
            ? new SearchCall("exa", q, body["numResults"]?.GetValue<int>(), body["userLocation"]?.GetValue<string>(), Strings(body["includeDomains"]), Strings(body["excludeDomains"]), key)
            : null;
    }

    private static async Task<JsonNode?> BodyAsync(HttpContext http)
    {
        try
        {
            return await JsonNode.ParseAsync(http.Request.Body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static List<string> Strings(JsonNode? node) => node is JsonArray array ? [.. array.Select(n => n!.GetValue<string>())] : [];

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
