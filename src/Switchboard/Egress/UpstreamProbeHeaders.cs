using System.Net.Http.Headers;
using Switchboard.Configuration;
using Switchboard.Egress.Anthropic;

namespace Switchboard.Egress;

/// <summary>
/// The credentials of a request Switchboard makes to an upstream on its own (the start-up probe, the pool's health
/// probe): the same as its model requests carry, so a probe is refused only when the requests would be. An
/// Anthropic-compatible upstream gets its key as configured (<c>x-api-key</c> or Bearer), <c>anthropic-version</c>
/// and the operator's extra headers; an OpenAI-compatible one gets the key as Bearer.
/// </summary>
public static class UpstreamProbeHeaders
{
    public static void Add(HttpRequestMessage message, UpstreamOptions options)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(options);
        if (string.Equals(options.Api, AnthropicUpstream.ApiName, StringComparison.OrdinalIgnoreCase))
        {
            AnthropicHeaders.Add(message, options, []);
        }
        else if (options.ApiKey is { Length: > 0 } key)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
    }
}
