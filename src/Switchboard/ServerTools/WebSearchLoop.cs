using Switchboard.Canonical;
using Switchboard.Configuration;
using Switchboard.Egress;
using Switchboard.Pipeline;
using Switchboard.Routing;
using Switchboard.ServerTools.Search;

namespace Switchboard.ServerTools;

/// <summary>
/// The web search tool run by Switchboard (docs/SERVER_TOOLS.md): a request that declares <c>web_search_20250305</c>
/// or <c>web_search_20260209</c>, or replays earlier searches, is run through <see cref="LoopResponse"/> when a search
/// backend is configured and the route's upstream does not run server tools itself (an Anthropic upstream with
/// <c>AllowServerTools</c> gets the request as sent).
/// </summary>
public sealed partial class WebSearchLoop(ISearchBackend backend, SwitchboardOptions options, ThinkingKey thinkingKey, ILogger<WebSearchLoop> logger)
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

        var handled = request.RawTools.Any(WebSearchToolSpec.IsWebSearch)
            || request.Messages.Any(static m => m.Content.Any(static b => b is RawBlock { ServerTool: WebSearchResultBlock }));
        return handled ? new WebSearchRun(request, backend, options.WebSearch, _seal, logger, route.RequestedModel) : null;
    }
}
