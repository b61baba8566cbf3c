namespace Switchboard.ServerTools.Search;

/// <summary>
/// The Brave Search API: <c>GET {Url}/res/v1/web/search?q=…&amp;count=N[&amp;country=CC]</c> with
/// <c>X-Subscription-Token</c>, reading <c>web.results[]</c> (<c>url</c>, <c>title</c>, <c>description</c>,
/// <c>page_age</c> or <c>age</c>). Allowed domains become <c>site:</c> operators.
/// </summary>
internal sealed class BraveBackend(HttpClient http, Uri baseUrl, string apiKey, TimeSpan timeout) : ISearchBackend
{
    public async Task<IReadOnlyList<SearchHit>> SearchAsync(SearchQuery query, CancellationToken cancellationToken)
    {
        var q = Uri.EscapeDataString(SearchHttp.WithSites(query.Query, query.AllowedDomains));
        var path = $"res/v1/web/search?q={q}&count={Math.Min(query.Count, 20)}";
        if (query.Country is { } country)
        {
            path += "&country=" + Uri.EscapeDataString(country.ToUpperInvariant());
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUrl, path));
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Add("X-Subscription-Token", apiKey);
        using var answer = await SearchHttp.SendAsync(http, request, timeout, cancellationToken);
        var hits = SearchHttp.Read(answer.RootElement, ["web", "results"], "description", "page_age");
        return hits;
    }
}
