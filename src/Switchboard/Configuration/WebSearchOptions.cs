namespace Switchboard.Configuration;

/// <summary>
/// The search backend behind the web search tool Switchboard runs itself (docs/SERVER_TOOLS.md). With no
/// <see cref="Provider"/> the tool is not offered and a request declaring it is refused, as before, unless its
/// upstream runs server tools natively.
/// </summary>
public sealed class WebSearchOptions
{
    /// <summary><c>searxng</c>, <c>brave</c>, <c>tavily</c> or <c>exa</c>; empty: no web search.</summary>
    public string? Provider { get; set; }

    /// <summary>
    /// The backend's base URL: required for SearXNG (e.g. <c>http://searxng:8080</c>); for the others defaults to the
    /// provider's public API (<c>https://api.search.brave.com</c>, <c>https://api.tavily.com</c>, <c>https://api.exa.ai</c>).
    /// </summary>
    public string? Url { get; set; }

    /// <summary>The backend's API key: required for Brave, Tavily and Exa; optional for SearXNG (sent as a bearer token).</summary>
    public string? ApiKey { get; set; }

    /// <summary>Results given to the model per search (1–20).</summary>
    public int MaxResults { get; set; } = 5;

    /// <summary>How long one search may take before it counts as <c>unavailable</c>.</summary>
    public double TimeoutSeconds { get; set; } = 10;

    /// <summary>Characters of each result's text given to the model.</summary>
    public int MaxResultChars { get; set; } = 2000;

    /// <summary>Longest query sent to the backend; a longer one is answered with <c>query_too_long</c>.</summary>
    public int MaxQueryChars { get; set; } = 400;

    /// <summary>
    /// Most searches in one request when the client sets no <c>max_uses</c>; also bounds the model turns of one
    /// request (searches plus one).
    /// </summary>
    public int MaxUsesPerRequest { get; set; } = 8;
}
