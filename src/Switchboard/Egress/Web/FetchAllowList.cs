using System.Net;
using Switchboard.Configuration;

namespace Switchboard.Egress.Web;

/// <summary>
/// The operator's exceptions to the address rules (<c>WebFetch:AllowedPrivateNetworks</c>, <c>WebFetch:AllowedHosts</c>):
/// an address is fetched from when it is public, inside an allowed network, or the address of an allowed host.
/// </summary>
public sealed class FetchAllowList
{
    private readonly IPNetwork[] _networks;
    private readonly string[] _hosts;

    public FetchAllowList(WebFetchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _networks = [.. options.AllowedPrivateNetworks.Select(static network => IPNetwork.Parse(network.Trim()))];
        _hosts = [.. options.AllowedHosts.Select(static host => host.Trim().TrimEnd('.').ToLowerInvariant())];
    }

    /// <summary>Whether <paramref name="host"/> (a name or an address literal) may be reached at <paramref name="address"/>.</summary>
    public bool Permits(string host, IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (PublicAddress.IsPublic(address))
        {
            return true;
        }

        var inner = PublicAddress.EmbeddedV4(address);
        if (_networks.Any(network => network.Contains(address) || (inner is not null && network.Contains(inner))))
        {
            return true;
        }

        return HostAllowed(host);
    }

    private bool HostAllowed(string host)
    {
        var name = host.TrimEnd('.').ToLowerInvariant();
        foreach (var allowed in _hosts)
        {
            if (allowed.StartsWith("*.", StringComparison.Ordinal)
                ? name.EndsWith(allowed[1..], StringComparison.Ordinal)
                : name == allowed)
            {
                return true;
            }
        }

        return false;
    }
}
