using System.Text.Json;
using Switchboard.Configuration;

namespace Switchboard.Egress;

/// <summary>
/// The configured model servers, each with its own pooled HTTP client. A configuration reload builds the next
/// <see cref="UpstreamSet"/> with <see cref="Build"/> and publishes it with <see cref="Publish"/>: an upstream whose
/// settings did not change keeps its endpoint (and its caches); one whose address and connect timeout did not change
/// keeps its HTTP client. A client no longer in the set is never disposed under a running request: it is dropped,
/// its idle connections close after <see cref="UpstreamHttpClientFactory.IdleConnectionLifetime"/>, and it is
/// collected once the last request holding it is done.
/// </summary>
public sealed class UpstreamRegistry : IDisposable
{
    private UpstreamSet _current;

    public UpstreamRegistry(SwitchboardOptions options)
    {
        _current = Build(options);
    }

    /// <summary>The published set: what new requests are routed with.</summary>
    public UpstreamSet Current => Volatile.Read(ref _current);

    public IReadOnlyList<UpstreamEndpoint> All => Current.All;

    /// <summary>The named upstream; with no name, the only one when exactly one is configured.</summary>
    public UpstreamEndpoint? Find(string? name) => Current.Find(name);

    /// <summary>The upstreams of <paramref name="options"/>, reusing what the published set already has; not yet published.</summary>
    public UpstreamSet Build(SwitchboardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var current = Volatile.Read(ref _current) ?? UpstreamSet.Empty;
        var endpoints = new List<UpstreamEndpoint>();
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

            endpoints.Add(Endpoint(name, upstream, current.Find(name)));
        }

        return new UpstreamSet(endpoints);
    }

    /// <summary>Makes <paramref name="next"/> the set new requests use; returns the endpoints it no longer has.</summary>
    public IReadOnlyList<UpstreamEndpoint> Publish(UpstreamSet next)
    {
        ArgumentNullException.ThrowIfNull(next);
        var previous = Interlocked.Exchange(ref _current, next);
        return [.. previous.All.Where(old => !next.All.Contains(old))];
    }

    /// <summary>True when two settings of one upstream are the same in every value.</summary>
    public static bool SameSettings(UpstreamOptions a, UpstreamOptions b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return JsonSerializer.Serialize(a) == JsonSerializer.Serialize(b);
    }

    private static UpstreamEndpoint Endpoint(string name, UpstreamOptions options, UpstreamEndpoint? existing)
    {
        if (existing is null || !string.Equals(existing.Name, name, StringComparison.Ordinal))
        {
            return new UpstreamEndpoint(name, options, UpstreamHttpClientFactory.CreateHttpClient(options));
        }

        if (SameSettings(existing.Options, options))
        {
            return existing;
        }

        // Same server and connection settings: the pooled connections stay useful.
        var sameConnection = existing.BaseUrl == options.BaseUrl.TrimEnd('/')
            && existing.Options.ConnectTimeoutSeconds.Equals(options.ConnectTimeoutSeconds);
        return new UpstreamEndpoint(name, options, sameConnection ? existing.Http : UpstreamHttpClientFactory.CreateHttpClient(options));
    }

    public void Dispose()
    {
        foreach (var upstream in Current.All)
        {
            upstream.Http.Dispose();
        }
    }
}
