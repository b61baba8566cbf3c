using Switchboard.Configuration;

namespace Switchboard.ServerTools.Search;

/// <summary>The configured backend (<c>WebSearch:Provider</c>), or null when web search is not configured.</summary>
public static class SearchBackends
{
    public static ISearchBackend? Create(WebSearchOptions options, HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(options);
        var provider = options.Provider?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(provider))
        {
            return null;
        }

        var timeout = TimeSpan.FromSeconds(options.TimeoutSeconds);
        var key = options.ApiKey ?? "";
        return provider switch
        {
            "searxng" => new SearxngBackend(http, BaseUrl(options.Url, ""), options.ApiKey, timeout),
            "brave" => new BraveBackend(http, BaseUrl(options.Url, "https://api.search.brave.com"), key, timeout),
            "tavily" => new TavilyBackend(http, BaseUrl(options.Url, "https://api.tavily.com"), key, timeout),
            "exa" => new ExaBackend(http, BaseUrl(options.Url, "https://api.exa.ai"), key, timeout, options.MaxResultChars),
            _ => null,
        };
    }

    /// <summary>The base URL with a trailing slash, so relative paths keep any path prefix it has.</summary>
    private static Uri BaseUrl(string? configured, string fallback)
    {
        var url = string.IsNullOrWhiteSpace(configured) ? fallback : configured.Trim();
        return new Uri(url.EndsWith('/') ? url : url + "/");
    }
}
