using Switchboard.Configuration;

namespace Switchboard.Egress;

/// <summary>The configured model servers, each with its own pooled HTTP client, created once at start.</summary>
public sealed class UpstreamRegistry : IDisposable
{
    private readonly Dictionary<string, UpstreamEndpoint> _byName = new(StringComparer.OrdinalIgnoreCase);

    public UpstreamRegistry(SwitchboardOptions options)
    {
        foreach (var (name, upstream) in options.Upstreams)
        {
            if (string.IsNullOrWhiteSpace(upstream.BaseUrl))
            {
                continue;
            }

            if (!Uri.TryCreate(upstream.BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            {
                throw new InvalidOperationException($"Upstream '{name}' has an invalid BaseUrl '{upstream.BaseUrl}'; expected http(s)://host:port/v1.");
            }

            _byName[name] = new UpstreamEndpoint(name, upstream, UpstreamHttpClientFactory.CreateHttpClient(upstream));
        }

        All = [.. _byName.Values];
    }

    public IReadOnlyList<UpstreamEndpoint> All { get; }

    /// <summary>The named upstream; with no name, the only one when exactly one is configured.</summary>
    public UpstreamEndpoint? Find(string? name) =>
        name is null ? (All.Count == 1 ? All[0] : null) : _byName.GetValueOrDefault(name);

    public void Dispose()
    {
        foreach (var upstream in All)
        {
            upstream.Http.Dispose();
        }
    }
}
