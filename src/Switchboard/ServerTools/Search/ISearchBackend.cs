namespace Switchboard.ServerTools.Search;

/// <summary>A web search API behind the web search tool (SearXNG, Brave, Tavily, Exa).</summary>
public interface ISearchBackend
{
    /// <summary>Throws <see cref="SearchBackendException"/> for every failure, with the error code the client may see.</summary>
    Task<IReadOnlyList<SearchHit>> SearchAsync(SearchQuery query, CancellationToken cancellationToken);
}

/// <summary>One search as the tool asks for it.</summary>
/// <param name="Count">Results wanted (the backend may return fewer).</param>
/// <param name="AllowedDomains">Only results from these domains; passed to backends that filter natively (results are filtered again).</param>
/// <param name="Country">ISO 3166 two-letter country of the user, for backends that take one.</param>
public sealed record SearchQuery(
    string Query,
    int Count,
    IReadOnlyList<string>? AllowedDomains,
    IReadOnlyList<string>? BlockedDomains,
    string? Country);

/// <summary>One result: its text is the snippet or page text the backend returned.</summary>
public sealed record SearchHit(string Url, string Title, string Text, string? PageAge);

/// <summary>A failed search; <see cref="ErrorCode"/> is the Messages API's <c>web_search_tool_result_error</c> code.</summary>
public sealed class SearchBackendException(string errorCode, string detail) : Exception(detail)
{
    public string ErrorCode { get; } = errorCode;
}
