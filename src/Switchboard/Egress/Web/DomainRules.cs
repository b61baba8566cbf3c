namespace Switchboard.Egress.Web;

/// <summary>
/// The domain lists of a fetch (<see cref="WebFetchLimits.AllowedDomains"/>, <see cref="WebFetchLimits.BlockedDomains"/>):
/// an entry matches its host and every subdomain of it, case-insensitively. Entries are read leniently, as clients
/// write them: a scheme, a path, a port, a leading <c>*.</c> or dot and a trailing dot are ignored.
/// </summary>
public static class DomainRules
{
    /// <summary>Why <paramref name="host"/> may not be fetched under these limits, or null when it may.</summary>
    public static string? Refusal(string host, WebFetchLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var name = host.TrimEnd('.').ToLowerInvariant();
        if (limits.BlockedDomains is { Count: > 0 } blocked && blocked.Any(domain => Matches(name, domain)))
        {
            return $"the domain '{name}' is blocked for this request";
        }

        if (limits.AllowedDomains is { Count: > 0 } allowed && !allowed.Any(domain => Matches(name, domain)))
        {
            return $"the domain '{name}' is not among the allowed domains of this request";
        }

        return null;
    }

    /// <summary>Whether <paramref name="host"/> (lower case, no trailing dot) is <paramref name="domain"/> or a subdomain of it.</summary>
    public static bool Matches(string host, string domain)
    {
        var entry = Normalize(domain);
        return entry.Length > 0 && (host == entry || host.EndsWith("." + entry, StringComparison.Ordinal));
    }

    private static string Normalize(string domain)
    {
        var entry = domain.Trim().ToLowerInvariant();
        var scheme = entry.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            entry = entry[(scheme + 3)..];
        }

        var path = entry.IndexOf('/', StringComparison.Ordinal);
        if (path >= 0)
        {
            entry = entry[..path];
        }

        if (entry.Count(static c => c == ':') == 1 && entry.IndexOf(':', StringComparison.Ordinal) is var port)
        {
            entry = entry[..port];
        }

        if (entry.StartsWith("*.", StringComparison.Ordinal))
        {
            entry = entry[2..];
        }

        return entry.Trim('.');
    }
}
