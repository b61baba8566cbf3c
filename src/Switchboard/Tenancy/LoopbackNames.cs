using System.Net;

namespace Switchboard.Tenancy;

/// <summary>Whether a host name (from a <c>Host</c> or <c>Origin</c> header) names this machine's loopback interface.</summary>
public static class LoopbackNames
{
    /// <summary><c>localhost</c>, <c>*.localhost</c>, 127.0.0.0/8 and <c>::1</c> (bracketed or not).</summary>
    public static bool IsLoopback(string host)
    {
        if (host.Length == 0)
        {
            return false;
        }

        var name = host.TrimEnd('.');
        if (name.Equals("localhost", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var literal = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;

        // Only dotted-quad and IPv6 literals: "2130706433" or "0x7f.1" are not names browsers send for loopback pages.
        return (literal.Contains(':', StringComparison.Ordinal) || literal.Count(c => c == '.') == 3)
            && IPAddress.TryParse(literal, out var address) && IPAddress.IsLoopback(address);
    }
}
