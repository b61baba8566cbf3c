namespace Switchboard.ServerTools.Search;

/// <summary>
/// A SearXNG instance's JSON API: <c>GET {Url}/search?q=…&amp;format=json</c> (the instance must enable the json
/// format), reading <c>results[]</c> (<c>url</c>, <c>title</c>, <c>content</c>, <c>publishedDate</c>). Allowed domains
/// become <c>site:</c> operators; SearXNG takes no country.
/// </summary>
internal sealed class SearxngBackend(HttpClient http, Uri baseUrl, string? apiKey, TimeSpan timeout) : ISearchBackend
{
    public async Task<IReadOnlyList<SearchHit>> SearchAsync(SearchQuery query, CancellationToken cancellationToken)
    {
        var q = Uri.EscapeDataString(SearchHttp.WithSites(query.Query, query.AllowedDomains));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUrl, $"search?q={q}&format=json"));
        request.Headers.Accept.ParseAdd("application/json");
        if (!string.IsNullOrEmpty(apiKey))
        {
            request.Headers.Authorization = new("Bearer", apiKey);
        }

        using var answer = await SearchHttp.SendAsync(http, request, timeout, cancellationToken);
        return SearchHttp.Read(answer.RootElement, ["results"], "content", "publishedDate");
    }
}
