using Switchboard.Configuration;
using Switchboard.Egress.Web;

namespace Switchboard.Hosting;

/// <summary>The outbound fetcher (<see cref="IWebFetcher"/>) every feature that fetches a client- or model-given URL uses.</summary>
internal static class WebFetchRegistration
{
    public static IServiceCollection AddWebFetch(this IServiceCollection services, SwitchboardOptions options)
    {
        services.AddSingleton(options.WebFetch);
        services.AddSingleton<SafeWebFetcher>();
        services.AddSingleton<IWebFetcher>(provider => provider.GetRequiredService<SafeWebFetcher>());
        return services;
    }
}
