using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Switchboard.ServerTools.Search;

/// <summary>
/// The Tavily search API: <c>POST {Url}/search</c> with <c>query</c>, <c>max_results</c>, <c>include_domains</c> /
/// <c>exclude_domains</c> and the key (as <c>api_key</c> and a bearer token: Tavily has taken both), reading
/// <c>results[]</c> (<c>url</c>, <c>title</c>, <c>content</c>, <c>published_date</c>).
/// </summary>
internal sealed class TavilyBackend(HttpClient http, Uri baseUrl, string apiKey, TimeSpan timeout) : ISearchBackend
{
    public async Task<IReadOnlyList<SearchHit>> SearchAsync(SearchQuery query, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["api_key"] = apiKey,
            ["query"] = query.Query,
            ["max_results"] = Math.Min(query.Count, 20),
            ["search_depth"] = "basic",
        };
        if (query.AllowedDomains is { Count: > 0 } allowed)
        {
            body["include_domains"] = new JsonArray([.. allowed.Select(static d => (JsonNode?)d)]);
        }

        if (query.BlockedDomains is { Count: > 0 } blocked)
        {
            body["exclude_domains"] = new JsonArray([.. blocked.Select(static d => (JsonNode?)d)]);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl, "search")) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new("Bearer", apiKey);
        using var answer = await SearchHttp.SendAsync(http, request, timeout, cancellationToken);
        return SearchHttp.Read(answer.RootElement, ["results"], "content", "published_date");
    }
}
