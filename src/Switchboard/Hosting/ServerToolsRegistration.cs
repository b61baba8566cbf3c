using Switchboard.Configuration;
using Switchboard.Pipeline;
using Switchboard.ServerTools;
using Switchboard.ServerTools.Search;

namespace Switchboard.Hosting;

/// <summary>
/// The server tools Switchboard runs itself (docs/SERVER_TOOLS.md): the loop the pipeline sends such requests through
/// (web fetch uses the outbound fetcher), and with <c>WebSearch:Provider</c> set the search backend. Without one a
/// request declaring web search is refused as before (unless its upstream runs server tools natively).
/// </summary>
internal static class ServerToolsRegistration
{
    public static IServiceCollection AddServerTools(this IServiceCollection services, SwitchboardOptions options)
    {
        // Web fetch needs only the outbound fetcher (always registered); web search needs a backend.
        services.AddSingleton<IServerToolLoop, ServerToolLoop>();
        if (string.IsNullOrWhiteSpace(options.WebSearch.Provider))
        {
            return services;
        }

        // One client for the backend: pooled connections, renewed so DNS changes are seen; time limits are per search.
        var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("Switchboard");
        services.AddSingleton(SearchBackends.Create(options.WebSearch, http)!);
        return services;
    }
}
