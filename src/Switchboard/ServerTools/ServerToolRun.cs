using System.Globalization;
using System.Text;
using System.Text.Json;
using Switchboard.Canonical;
using Switchboard.Configuration;
using Switchboard.Egress;
using Switchboard.Egress.Documents;
using Switchboard.Egress.Web;
using Switchboard.Pipeline;
using Switchboard.ServerTools.Search;

namespace Switchboard.ServerTools;

/// <summary>
/// One request's server-tool loop state: the request as the model gets it (each declared tool offered as a function,
/// <c>web_search</c> (query) and <c>web_fetch</c> (url); replayed calls given back as calls and results), the calls
/// run so far against each tool's <c>max_uses</c>, the numbered search results for citations, what the conversation
/// already holds (a fetch may only open a URL found there), and the conversation each continuation sends.
/// </summary>
internal sealed partial class ServerToolRun : IServerToolRun
{
    public const string SearchFunction = "web_search";
    public const string FetchFunction = "web_fetch";

    private const string SearchInstructions =
        "You can search the web with the web_search tool. When your answer uses information from a search result, " +
        "cite it by writing the result's number in square brackets right after the sentence, for example [1].";

    private const string FetchInstructions =
        "You can read a web page with the web_fetch tool: give it a URL that appears in the conversation or in earlier results.";

    private static readonly JsonElement SearchSchema = JsonDocument.Parse(
        """{"type":"object","properties":{"query":{"type":"string","description":"The search query"}},"required":["query"]}""").RootElement;

    private static readonly JsonElement FetchSchema = JsonDocument.Parse(
        """{"type":"object","properties":{"url":{"type":"string","description":"The URL to fetch"}},"required":["url"]}""").RootElement;

    private readonly ISearchBackend? _backend;
    private readonly IWebFetcher? _fetcher;
    private readonly SwitchboardOptions _options;
    private readonly ResultSeal _seal;
    private readonly WebSearchToolSpec? _search;
    private readonly WebFetchToolSpec? _fetch;
    private readonly ILogger _logger;
    private readonly string _model;
    private readonly ToolChoice? _continuationChoice;
    private readonly StringBuilder _context = new();

    public ServerToolRun(
        MessageRequest request, ISearchBackend? backend, IWebFetcher? fetcher, SwitchboardOptions options, ResultSeal seal, ILogger logger, string model)
    {
        _backend = backend;
        _fetcher = fetcher;
        _options = options;
        _seal = seal;
        _logger = logger;
        _model = model;
        Results = new NumberedResults(seal);
        var searchTool = backend is null ? null : request.RawTools.FirstOrDefault(WebSearchToolSpec.IsWebSearch);
        var fetchTool = fetcher is null ? null : request.RawTools.FirstOrDefault(WebFetchToolSpec.IsWebFetch);
        _search = searchTool is null ? null : WebSearchToolSpec.Read(searchTool);
        _fetch = fetchTool is null ? null : WebFetchToolSpec.Read(fetchTool);
        var messages = ReplayedHistory.Lower(request.Messages, seal, Results);
        Remember(messages);
        var tools = request.Tools.ToList();
        var system = request.System;
        if (_search is not null)
        {
            Offer(tools, SearchFunction, "Search the web. Returns numbered results, each with its title, URL and text.", SearchSchema);
            system = string.IsNullOrEmpty(system) ? SearchInstructions : system + "\n\n" + SearchInstructions;
        }

        if (_fetch is not null)
        {
            Offer(tools, FetchFunction, "Fetch a web page or PDF by its URL and return its text.", FetchSchema);
            system = string.IsNullOrEmpty(system) ? FetchInstructions : system + "\n\n" + FetchInstructions;
        }

        // A choice that forces a tool of the loop applies to the first turn only: after it the model must be free to answer.
        _continuationChoice = request.ToolChoice is { Kind: ToolChoiceKind.Tool, Name: SearchFunction or FetchFunction } choice
            ? choice with { Kind = ToolChoiceKind.Auto, Name = null }
            : request.ToolChoice;
        First = request with
        {
            Messages = messages,
            Tools = tools,
            RawTools = [.. request.RawTools.Where(t => !(ReferenceEquals(t, searchTool) || ReferenceEquals(t, fetchTool)))],
            System = system,

            // The conversation and the tools are no longer the client's bytes.
            Source = null,
        };
        var cap = _options.WebSearch.MaxUsesPerRequest;
        MaxTurns = (_search is null ? 0 : Math.Min(_search.MaxUses ?? cap, cap)) + (_fetch is null ? 0 : Math.Min(_fetch.MaxUses ?? cap, cap)) + 2;
    }

    /// <summary>The first turn's request.</summary>
    public MessageRequest First { get; }

    public MessageRequest Request => First;

    public NumberedResults Results { get; }

    /// <summary>Model turns one request may take; a loop that would go on ends with <c>pause_turn</c>.</summary>
    public int MaxTurns { get; }

    /// <summary>Searches run (<c>usage.server_tool_use.web_search_requests</c>).</summary>
    public int Searches { get; private set; }

    /// <summary>Fetches run (<c>usage.server_tool_use.web_fetch_requests</c>).</summary>
    public int Fetches { get; private set; }

    /// <summary>Whether the model may call <paramref name="function"/> (its tool is declared in this request).</summary>
    public bool Offers(string? function) => function switch
    {
        SearchFunction => _search is not null,
        FetchFunction => _fetch is not null,
        _ => false,
    };

    /// <summary>Whether citation markers may name results (a search is offered or results were replayed).</summary>
    public bool Cites => _search is not null || Results.Count > 0;

    public async Task<IUpstreamResponse> SendAsync(Func<MessageRequest, bool, CancellationToken, Task<IUpstreamResponse>> send, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(send);
        var first = await send(First, true, cancellationToken);
        return new LoopResponse(this, first, send);
    }

    /// <summary>Runs one call of a loop function: the block the client sees and the text the model reads.</summary>
    public Task<(ContentBlock Block, string ForModel, bool Failed)> RunAsync(string function, string id, string arguments, CancellationToken cancellationToken) =>
        function == FetchFunction ? FetchAsync(id, arguments, cancellationToken) : SearchAsync(id, arguments, cancellationToken);

    /// <summary>The next turn's request: the conversation so far, the model's turn and the results of its calls.</summary>
    public MessageRequest Continue(MessageRequest previous, IReadOnlyList<ContentBlock> turn, IReadOnlyList<ToolResultBlock> results)
    {
        // Thinking without a signature an upstream could check is left out of the replayed turn.
        var said = turn.Where(static b => b is TextBlock or ToolUseBlock).ToList();
        var messages = previous.Messages.ToList();
        if (messages.Count > 0 && messages[^1].Role == Role.Assistant)
        {
            messages[^1] = messages[^1] with { Content = [.. messages[^1].Content, .. said] };
        }
        else
        {
            messages.Add(new Message(Role.Assistant, said));
        }

        messages.Add(new Message(Role.User, results));
        return previous with { Messages = messages, ToolChoice = _continuationChoice };
    }

    private async Task<(ContentBlock, string, bool)> SearchAsync(string id, string arguments, CancellationToken cancellationToken)
    {
        var query = StringArgument(arguments, "query");
        if (query is null)
        {
            return SearchFailure(id, "invalid_tool_input", "The search failed: the call needs a non-empty string 'query'.");
        }

        if (query.Length > _options.WebSearch.MaxQueryChars)
        {
            return SearchFailure(id, "query_too_long", $"The search failed: the query is longer than {_options.WebSearch.MaxQueryChars} characters.");
        }

        if (Searches >= Math.Min(_search?.MaxUses ?? int.MaxValue, _options.WebSearch.MaxUsesPerRequest))
        {
            return SearchFailure(id, "max_uses_exceeded", "The search was not run: the maximum number of searches for this request is used up. Answer with what you have.");
        }

        Searches++;
        IReadOnlyList<SearchHit> found;
        try
        {
            found = await _backend!.SearchAsync(
                new SearchQuery(query, _options.WebSearch.MaxResults, _search?.AllowedDomains, _search?.BlockedDomains, _search?.Country), cancellationToken);
        }
        catch (SearchBackendException failure)
        {
            LogSearchFailed(_logger, _model, failure.ErrorCode, failure.Message);
            return SearchFailure(id, failure.ErrorCode, $"The search failed ({failure.ErrorCode}). Answer without it, or try again later.");
        }

        var hits = new List<(string Url, string Title, string Text, string? PageAge)>();
        var blocks = new List<WebSearchHit>();
        foreach (var hit in found)
        {
            if (hits.Count >= _options.WebSearch.MaxResults || !(_search?.Permits(hit.Url) ?? true))
            {
                continue;
            }

            var max = _options.WebSearch.MaxResultChars;
            var text = hit.Text.Length <= max ? hit.Text : hit.Text[..max];
            hits.Add((hit.Url, hit.Title, text, hit.PageAge));
            blocks.Add(new WebSearchHit(hit.Url, hit.Title, _seal.Seal(text), hit.PageAge));
            _context.Append(' ').Append(hit.Url);
        }

        return (new WebSearchResultBlock(id, blocks, null), Results.Add(query, hits), false);
    }

    private async Task<(ContentBlock, string, bool)> FetchAsync(string id, string arguments, CancellationToken cancellationToken)
    {
        var url = StringArgument(arguments, "url");
        if (url is null)
        {
            return FetchFailure(id, "invalid_tool_input", "The fetch failed: the call needs a non-empty string 'url'.");
        }

        if (url.Length > 250)
        {
            return FetchFailure(id, "url_too_long", "The fetch failed: the URL is longer than 250 characters.");
        }

        if (Fetches >= Math.Min(_fetch?.MaxUses ?? int.MaxValue, _options.WebSearch.MaxUsesPerRequest))
        {
            return FetchFailure(id, "max_uses_exceeded", "The fetch was not run: the maximum number of fetches for this request is used up. Answer with what you have.");
        }

        if (!InContext(url))
        {
            return FetchFailure(id, "url_not_in_prior_context", "The fetch was not run: only URLs that appear in the conversation or in earlier results can be fetched.");
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !(_fetch?.ToSearchSpec().Permits(url) ?? true))
        {
            return FetchFailure(id, "url_not_allowed", "The fetch was not run: this URL is not allowed.");
        }

        Fetches++;
        try
        {
            var web = _options.WebFetch;
            var limits = new WebFetchLimits(web.MaxBytes, TimeSpan.FromSeconds(web.TimeoutSeconds), _fetch?.AllowedDomains, _fetch?.BlockedDomains);
            var resource = await _fetcher!.FetchAsync(uri, limits, cancellationToken);
            var maxChars = (int)Math.Min(int.MaxValue / 2, (long)(_fetch?.MaxContentTokens ?? 25_000) * 4);
            var readable = ReadableText.From(resource, maxChars, PdfLimits.Default);
            var retrieved = resource.RetrievedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            var finalUrl = resource.Url.ToString();
            _context.Append(' ').Append(finalUrl).Append(' ').Append(readable.Text);
            var forModel = $"Fetched {finalUrl}{(readable.Title is { } title ? $" ({title})" : "")}:\n\n{readable.Text}{(readable.Truncated ? "\n[truncated]" : "")}";
            return (new WebFetchResultBlock(id, finalUrl, readable.Title, readable.Text, retrieved, null), forModel, false);
        }
        catch (WebFetchException failure)
        {
            var code = failure.Error switch
            {
                WebFetchError.InvalidUrl => "invalid_tool_input",
                WebFetchError.AddressNotAllowed or WebFetchError.DomainNotAllowed => "url_not_allowed",
                WebFetchError.UnsupportedContent => "unsupported_content_type",
                _ => "url_not_accessible",
            };
            LogFetchFailed(_logger, _model, code, failure.Error.ToString());
            return FetchFailure(id, code, $"The fetch failed ({code}): {failure.Message}");
        }
    }

    /// <summary>A URL the conversation holds (as sent, or without a trailing slash), or one an earlier result gave.</summary>
    private bool InContext(string url) =>
        _context.ToString() is var context
        && (context.Contains(url, StringComparison.Ordinal) || context.Contains(url.TrimEnd('/'), StringComparison.Ordinal));

    private void Remember(IReadOnlyList<Message> messages)
    {
        foreach (var message in messages)
        {
            foreach (var block in message.Content)
            {
                Remember(block);
            }
        }
    }

    private void Remember(ContentBlock block)
    {
        switch (block)
        {
            case TextBlock text:
                _context.Append(' ').Append(text.Text);
                break;
            case ToolResultBlock result:
                foreach (var part in result.Content)
                {
                    Remember(part);
                }

                break;
            case RawBlock { FallbackText: { } fallback }:
                _context.Append(' ').Append(fallback);
                break;
        }
    }

    private static void Offer(List<ToolDefinition> tools, string name, string description, JsonElement schema)
    {
        if (tools.Any(t => t.Name == name))
        {
            throw new ApiException(ApiErrorKind.InvalidRequest, $"tools: the tool name '{name}' is used twice (by a custom tool and the {name} server tool)");
        }

        tools.Add(new ToolDefinition(name, description, schema));
    }

    private static string? StringArgument(string arguments, string name)
    {
        try
        {
            using var input = JsonDocument.Parse(arguments);
            return input.RootElement.ValueKind == JsonValueKind.Object
                && input.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                && value.GetString()!.Trim() is { Length: > 0 } text
                ? text
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static (ContentBlock, string, bool) SearchFailure(string id, string code, string forModel) =>
        (new WebSearchResultBlock(id, [], code), forModel, true);

    private static (ContentBlock, string, bool) FetchFailure(string id, string code, string forModel) =>
        (new WebFetchResultBlock(id, null, null, null, null, code), forModel, true);

    [LoggerMessage(EventId = 90, Level = LogLevel.Warning, Message = "web search for model {Model} failed ({Code}): {Detail}")]
    private static partial void LogSearchFailed(ILogger logger, string model, string code, string detail);

    [LoggerMessage(EventId = 91, Level = LogLevel.Information, Message = "web fetch for model {Model} failed ({Code}): {Error}")]
    private static partial void LogFetchFailed(ILogger logger, string model, string code, string error);
}
