using Switchboard.Egress;
using Switchboard.Egress.Anthropic;

namespace Switchboard.Hosting;

/// <summary>The egress for Anthropic-compatible upstreams (<c>Api = "anthropic"</c>), next to the Chat Completions one.</summary>
internal static class AnthropicUpstreamRegistration
{
    public static IServiceCollection AddAnthropicUpstreams(this IServiceCollection services)
    {
        services.AddSingleton<IModelUpstream, AnthropicUpstream>();
        return services;
    }
}
