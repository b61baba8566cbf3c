using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Switchboard.ServerTools.Search;

/// <summary>
/// The Exa search API: <c>POST {Url}/search</c> with <c>x-api-key</c>, <c>query</c>, <c>numResults</c>,
/// <c>includeDomains</c> / <c>excludeDomains</c>, <c>userLocation</c> and page text asked for
/// (<c>contents.text.maxCharacters</c>), reading <c>results[]</c> (<c>url</c>, <c>title</c>, <c>text</c>,
/// <c>publishedDate</c>).
/// </summary>
internal sealed class ExaBackend(HttpClient http, Uri baseUrl, string apiKey, TimeSpan timeout, int maxChars) : ISearchBackend
{
    public async Task<IReadOnlyList<SearchHit>> SearchAsync(SearchQuery query, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["query"] = query.Query,
            ["numResults"] = Math.Min(query.Count, 20),
            ["contents"] = new JsonObject { ["text"] = new JsonObject { ["maxCharacters"] = maxChars } },
        };
        if (query.AllowedDomains is { Count: > 0 } allowed)
        {
            body["includeDomains"] = new JsonArray([.. allowed.Select(static d => (JsonNode?)d)]);
        }

        if (query.BlockedDomains is { Count: > 0 } blocked)
        {
            body["excludeDomains"] = new JsonArray([.. blocked.Select(static d => (JsonNode?)d)]);
        }

        if (query.Country is { } country)
        {
            body["userLocation"] = country.ToUpperInvariant();
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl, "search")) { Content = JsonContent.Create(body) };
        request.Headers.Add("x-api-key", apiKey);
        using var answer = await SearchHttp.SendAsync(http, request, timeout, cancellationToken);
        return SearchHttp.Read(answer.RootElement, ["results"], "text", "publishedDate", altTextField: "summary");
    }
}
