using Switchboard.Canonical;
using Switchboard.Configuration;
using Switchboard.Egress;
using Switchboard.Egress.Web;
using Switchboard.Pipeline;
using Switchboard.Routing;
using Switchboard.ServerTools.Search;

namespace Switchboard.ServerTools;

/// <summary>
/// The server tools run by Switchboard (docs/SERVER_TOOLS.md): a request that declares web search
/// (<c>web_search_20250305</c>, <c>web_search_20260209</c>; with a search backend configured) or web fetch
/// (<c>web_fetch_*</c>, through the outbound fetcher), or replays earlier results, is run through
/// <see cref="LoopResponse"/> when the route's upstream does not run server tools itself (an Anthropic upstream with
/// <c>AllowServerTools</c> gets the request as sent).
/// </summary>
public sealed partial class ServerToolLoop(
    SwitchboardOptions options, ThinkingKey thinkingKey, ILogger<ServerToolLoop> logger, ISearchBackend? backend = null, IWebFetcher? fetcher = null)
    : IServerToolLoop
{
    private readonly ResultSeal _seal = new(thinkingKey.Value);

    public IServerToolRun? Prepare(MessageRequest request, ModelRoute route)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(route);
        if (route.Upstream.Options is { Api: "anthropic", AllowServerTools: true })
        {
            return null;
        }

        var handled = (backend is not null && request.RawTools.Any(WebSearchToolSpec.IsWebSearch))
            || (fetcher is not null && request.RawTools.Any(WebFetchToolSpec.IsWebFetch))
            || request.Messages.Any(m => m.Content.Any(b => b is RawBlock { ServerTool: WebSearchResultBlock or WebFetchResultBlock } raw && IsReplayedHere(raw.ServerTool, route)));
        return handled ? new ServerToolRun(request, backend, fetcher, options, _seal, logger, route.RequestedModel) : null;
    }

    /// <summary>
    /// Whether a server-tool result sent back must be replayed by Switchboard: always for an upstream of another
    /// dialect; for an Anthropic-compatible one only when Switchboard ran the tool (its sealed results), since results
    /// that upstream produced itself go back to it as they came.
    /// </summary>
    private static bool IsReplayedHere(ContentBlock history, ModelRoute route) =>
        route.Upstream.Options.Api != "anthropic"
        || (history is WebSearchResultBlock search && search.Hits.Any(static hit => ResultSeal.IsSwitchboardSeal(hit.EncryptedContent)));
}
