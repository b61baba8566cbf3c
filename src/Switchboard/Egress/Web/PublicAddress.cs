using System.Net;
using System.Net.Sockets;

namespace Switchboard.Egress.Web;

/// <summary>
/// Whether an address is one Switchboard may fetch from without the operator's say-so: a public unicast address.
/// Refused: IPv4 this-network (0/8), private (10/8, 172.16/12, 192.168/16), shared address space (100.64/10),
/// loopback (127/8), link-local (169.254/16, cloud metadata), IETF, documentation and benchmark ranges, multicast,
/// reserved and broadcast; IPv6 outside global unicast (2000::/3: so ::, ::1, unique-local, link-local, site-local,
/// multicast, the deprecated IPv4-compatible ::/96), documentation and Teredo/ORCHID ranges. An IPv6 address that
/// carries an IPv4 one (mapped ::ffff:0:0/96, NAT64 64:ff9b::/96, 6to4 2002::/16) is judged by the IPv4 address inside it.
/// </summary>
public static class PublicAddress
{
    private static readonly IPNetwork[] RefusedV4 =
    [
        IPNetwork.Parse("0.0.0.0/8"),
        IPNetwork.Parse("10.0.0.0/8"),
        IPNetwork.Parse("100.64.0.0/10"),
        IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"),
        IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.0.0.0/24"),
        IPNetwork.Parse("192.0.2.0/24"),
        IPNetwork.Parse("192.88.99.0/24"),
        IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("198.18.0.0/15"),
        IPNetwork.Parse("198.51.100.0/24"),
        IPNetwork.Parse("203.0.113.0/24"),
        IPNetwork.Parse("224.0.0.0/4"),
        IPNetwork.Parse("240.0.0.0/4"),
    ];

    private static readonly IPNetwork GlobalUnicastV6 = IPNetwork.Parse("2000::/3");

    private static readonly IPNetwork[] RefusedV6 =
    [
        IPNetwork.Parse("2001::/23"),
        IPNetwork.Parse("2001:db8::/32"),
        IPNetwork.Parse("3fff::/20"),
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");

    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    public static bool IsPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return !RefusedV4.Any(network => network.Contains(address));
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }

        if (EmbeddedV4(address) is { } inner)
        {
            return IsPublic(inner);
        }

        return GlobalUnicastV6.Contains(address) && !RefusedV6.Any(network => network.Contains(address));
    }

    /// <summary>The IPv4 address an IPv6 address carries (mapped, NAT64, 6to4), if any.</summary>
    internal static IPAddress? EmbeddedV4(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        var bytes = address.GetAddressBytes();
        if (Nat64.Contains(address))
        {
            return new IPAddress(bytes.AsSpan(12, 4));
        }

        if (SixToFour.Contains(address))
        {
            return new IPAddress(bytes.AsSpan(2, 4));
        }

        return null;
    }
}
