namespace Switchboard.Configuration;

/// <summary>
/// Outbound fetches of URLs that clients or models give (PDF URLs, images to inline, the web fetch tool): the default
/// limits and the operator's exceptions to the address rules. See docs/SERVER_TOOLS.md, "Outbound fetches and their rules".
/// </summary>
public sealed class WebFetchOptions
{
    /// <summary>Largest body read for one fetch, in bytes (a caller may ask for less).</summary>
    public long MaxBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>The whole fetch, redirects included, in seconds (a caller may ask for less).</summary>
    public double TimeoutSeconds { get; set; } = 30;

    /// <summary>Redirects followed before a fetch fails; each hop is checked again.</summary>
    public int MaxRedirects { get; set; } = 5;

    /// <summary>
    /// Networks (CIDR, e.g. <c>10.20.0.0/16</c>, <c>fd00:1::/64</c>) Switchboard may fetch from although they are
    /// private, loopback or link-local. Empty: only public addresses.
    /// </summary>
    public List<string> AllowedPrivateNetworks { get; set; } = [];

    /// <summary>
    /// Host names (exact, or <c>*.example.internal</c> for subdomains) that may resolve to any address, e.g. an
    /// intranet wiki. Their addresses are still resolved once and connected to directly.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];
}
