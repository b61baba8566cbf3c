using System.Net.Http.Headers;
using Switchboard.Configuration;

namespace Switchboard.Egress.Anthropic;

/// <summary>
/// The headers of a request to an Anthropic-compatible upstream: the key (<c>x-api-key</c>, or Bearer where the
/// server only takes that, as vLLM does), <c>anthropic-version</c> (the client's, else the configured one), the
/// client's <c>anthropic-beta</c>, and the operator's extra headers.
/// </summary>
internal static class AnthropicHeaders
{
    public static void Add(HttpRequestMessage message, UpstreamOptions options, IReadOnlyList<KeyValuePair<string, string>> fromClient)
    {
        if (!string.IsNullOrEmpty(options.ApiKey))
        {
            if (options.KeyHeader == "bearer")
            {
                message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
            }
            else
            {
                message.Headers.TryAddWithoutValidation("x-api-key", options.ApiKey);
            }
        }

        var version = options.AnthropicVersion;
        foreach (var (name, value) in fromClient)
        {
            if (name == "anthropic-version")
            {
                version = value;
            }
            else
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        message.Headers.TryAddWithoutValidation("anthropic-version", version);
        foreach (var (name, value) in options.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }
    }
}
