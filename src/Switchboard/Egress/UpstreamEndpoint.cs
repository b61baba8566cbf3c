using Switchboard.Configuration;

namespace Switchboard.Egress;

/// <summary>A configured model server and the pooled HTTP client Switchboard uses to reach it.</summary>
public sealed class UpstreamEndpoint(string name, UpstreamOptions options, HttpClient http)
{
    public string Name { get; } = name;

    public UpstreamOptions Options { get; } = options;

    /// <summary>Base URL without a trailing slash, e.g. <c>http://127.0.0.1:8000/v1</c>.</summary>
    public string BaseUrl { get; } = options.BaseUrl.TrimEnd('/');

    public HttpClient Http { get; } = http;
}
