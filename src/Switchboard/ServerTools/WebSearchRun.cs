using System.Text.Json;
using Switchboard.Canonical;
using Switchboard.Configuration;
using Switchboard.Egress;
using Switchboard.Pipeline;
using Switchboard.ServerTools.Search;

namespace Switchboard.ServerTools;

/// <summary>
/// One request's web search loop state: the request as the model gets it (the tool offered as the function
/// <c>web_search</c>, replayed searches given back as calls and results), the searches run so far against
/// <c>max_uses</c>, the numbered results for citations, and the conversation each continuation sends.
/// </summary>
internal sealed partial class WebSearchRun : IServerToolRun
{
    public const string FunctionName = "web_search";

    private const string Instructions =
        "You can search the web with the web_search tool. When your answer uses information from a search result, " +
        "cite it by writing the result's number in square brackets right after the sentence, for example [1].";

    private static readonly JsonElement FunctionSchema = JsonDocument.Parse(
        """{"type":"object","properties":{"query":{"type":"string","description":"The search query"}},"required":["query"]}""").RootElement;

    private readonly ISearchBackend _backend;
    private readonly WebSearchOptions _options;
    private readonly ResultSeal _seal;
    private readonly WebSearchToolSpec? _spec;
    private readonly ILogger _logger;
    private readonly string _model;
    private readonly ToolChoice? _continuationChoice;

    public WebSearchRun(MessageRequest request, ISearchBackend backend, WebSearchOptions options, ResultSeal seal, ILogger logger, string model)
    {
        _backend = backend;
        _options = options;
        _seal = seal;
        _logger = logger;
        _model = model;
        Results = new NumberedResults(seal);
        var declared = request.RawTools.FirstOrDefault(WebSearchToolSpec.IsWebSearch);
        _spec = declared is null ? null : WebSearchToolSpec.Read(declared);
        var messages = ReplayedHistory.Lower(request.Messages, seal, Results);
        var tools = request.Tools;
        if (_spec is not null)
        {
            if (request.Tools.Any(static t => t.Name == FunctionName))
            {
                throw new ApiException(ApiErrorKind.InvalidRequest, $"tools: the tool name '{FunctionName}' is used twice (by a custom tool and the web search tool)");
            }

            tools = [.. request.Tools, new ToolDefinition(FunctionName, "Search the web. Returns numbered results, each with its title, URL and text.", FunctionSchema)];
        }

        // A choice that forces the search applies to the first turn only: after it the model must be free to answer.
        _continuationChoice = request.ToolChoice is { Kind: ToolChoiceKind.Tool, Name: FunctionName } choice
            ? choice with { Kind = ToolChoiceKind.Auto, Name = null }
            : request.ToolChoice;
        First = request with
        {
            Messages = messages,
            Tools = tools,
            RawTools = [.. request.RawTools.Where(static t => !WebSearchToolSpec.IsWebSearch(t))],
            System = _spec is null ? request.System : string.IsNullOrEmpty(request.System) ? Instructions : request.System + "\n\n" + Instructions,

            // The conversation and the tools are no longer the client's bytes.
            Source = null,
        };
        MaxTurns = Math.Min(_spec?.MaxUses ?? _options.MaxUsesPerRequest, _options.MaxUsesPerRequest) + 2;
    }

    /// <summary>The first turn's request.</summary>
    public MessageRequest First { get; }

    public MessageRequest Request => First;

    public async Task<IUpstreamResponse> SendAsync(Func<MessageRequest, bool, CancellationToken, Task<IUpstreamResponse>> send, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(send);
        var first = await send(First, true, cancellationToken);
        return new LoopResponse(this, first, send);
    }

    public NumberedResults Results { get; }

    /// <summary>Model turns one request may take; a loop that would go on ends with <c>pause_turn</c>.</summary>
    public int MaxTurns { get; }

    /// <summary>Searches run (counted in <c>usage.server_tool_use.web_search_requests</c>).</summary>
    public int Searches { get; private set; }

    /// <summary>Whether the model may call the function at all (the client declared the tool in this request).</summary>
    public bool Offered => _spec is not null;

    /// <summary>Runs one call: the block the client sees and the text the model reads.</summary>
    public async Task<(WebSearchResultBlock Block, string ForModel, bool Failed)> SearchAsync(string id, string arguments, CancellationToken cancellationToken)
    {
        var query = QueryOf(arguments);
        if (query is null)
        {
            return Failure(id, "invalid_tool_input", "The search failed: the call needs a non-empty string 'query'.");
        }

        if (query.Length > _options.MaxQueryChars)
        {
            return Failure(id, "query_too_long", $"The search failed: the query is longer than {_options.MaxQueryChars} characters.");
        }

        var limit = Math.Min(_spec?.MaxUses ?? _options.MaxUsesPerRequest, _options.MaxUsesPerRequest);
        if (Searches >= limit)
        {
            return Failure(id, "max_uses_exceeded", "The search was not run: the maximum number of searches for this request is used up. Answer with what you have.");
        }

        Searches++;
        IReadOnlyList<SearchHit> found;
        try
        {
            found = await _backend.SearchAsync(
                new SearchQuery(query, _options.MaxResults, _spec?.AllowedDomains, _spec?.BlockedDomains, _spec?.Country), cancellationToken);
        }
        catch (SearchBackendException failure)
        {
            LogSearchFailed(_logger, _model, failure.ErrorCode, failure.Message);
            return Failure(id, failure.ErrorCode, $"The search failed ({failure.ErrorCode}). Answer without it, or try again later.");
        }

        var hits = new List<(string Url, string Title, string Text, string? PageAge)>();
        var blocks = new List<WebSearchHit>();
        foreach (var hit in found)
        {
            if (hits.Count >= _options.MaxResults || !(_spec?.Permits(hit.Url) ?? true))
            {
                continue;
            }

            var text = hit.Text.Length <= _options.MaxResultChars ? hit.Text : hit.Text[.._options.MaxResultChars];
            hits.Add((hit.Url, hit.Title, text, hit.PageAge));
            blocks.Add(new WebSearchHit(hit.Url, hit.Title, _seal.Seal(text), hit.PageAge));
        }

        return (new WebSearchResultBlock(id, blocks, null), Results.Add(query, hits), false);
    }

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

    private static string? QueryOf(string arguments)
    {
        try
        {
            using var input = JsonDocument.Parse(arguments);
            return input.RootElement.ValueKind == JsonValueKind.Object
                && input.RootElement.TryGetProperty("query", out var q) && q.ValueKind == JsonValueKind.String
                && q.GetString()!.Trim() is { Length: > 0 } text
                ? text
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static (WebSearchResultBlock, string, bool) Failure(string id, string code, string forModel) =>
        (new WebSearchResultBlock(id, [], code), forModel, true);

    [LoggerMessage(EventId = 90, Level = LogLevel.Warning, Message = "web search for model {Model} failed ({Code}): {Detail}")]
    private static partial void LogSearchFailed(ILogger logger, string model, string code, string detail);
}
