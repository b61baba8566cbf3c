using System.Text.Json;
using Switchboard.Canonical;

namespace Switchboard.ServerTools;

/// <summary>
/// The web search tool as the client declared it (<c>web_search_20250305</c>, <c>web_search_20260209</c>, in the
/// Messages API's JSON, the only dialect that declares it): <c>max_uses</c>, <c>allowed_domains</c> /
/// <c>blocked_domains</c> and <c>user_location.country</c>.
/// </summary>
public sealed record WebSearchToolSpec(int? MaxUses, IReadOnlyList<string>? AllowedDomains, IReadOnlyList<string>? BlockedDomains, string? Country)
{
    public const string Dialect = "anthropic";

    public static readonly string[] Types = ["web_search_20250305", "web_search_20260209"];

    public static bool IsWebSearch(RawTool tool) => tool.Dialect == Dialect && Types.Contains(tool.Type);

    /// <summary>Reads the declaration; a malformed field is refused with a message naming it.</summary>
    public static WebSearchToolSpec Read(RawTool tool) => Read(tool, "web_search");

    /// <summary>The fields the web search and web fetch tools share, refused under <paramref name="name"/>.</summary>
    internal static WebSearchToolSpec Read(RawTool tool, string name)
    {
        ArgumentNullException.ThrowIfNull(tool);
        var json = tool.Json;
        int? maxUses = null;
        if (json.TryGetProperty("max_uses", out var uses) && uses.ValueKind != JsonValueKind.Null)
        {
            maxUses = uses.ValueKind == JsonValueKind.Number && uses.TryGetInt32(out var n) && n > 0
                ? n
                : throw Invalid(name, "max_uses: Input should be greater than 0");
        }

        var allowed = Domains(json, "allowed_domains", name);
        var blocked = Domains(json, "blocked_domains", name);
        if (allowed is not null && blocked is not null)
        {
            throw Invalid(name, "allowed_domains and blocked_domains cannot both be set");
        }

        string? country = null;
        if (json.TryGetProperty("user_location", out var location) && location.ValueKind == JsonValueKind.Object
            && location.TryGetProperty("country", out var c) && c.ValueKind == JsonValueKind.String)
        {
            country = c.GetString() is { Length: 2 } code ? code : throw Invalid(name, "user_location.country: String should have exactly 2 characters");
        }

        return new WebSearchToolSpec(maxUses, allowed, blocked, country);
    }

    private static List<string>? Domains(JsonElement json, string name, string tool)
    {
        if (!json.TryGetProperty(name, out var list) || list.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(tool, $"{name}: Input should be a valid list");
        }

        var domains = new List<string>(list.GetArrayLength());
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || item.GetString() is not { Length: > 0 } domain)
            {
                throw Invalid(tool, $"{name}: each entry must be a non-empty string");
            }

            domains.Add(domain.Trim().ToLowerInvariant());
        }

        return domains;
    }

    private static ApiException Invalid(string tool, string message) => new(ApiErrorKind.InvalidRequest, $"tools: {tool}: {message}");

    /// <summary>
    /// Whether a result's URL may be shown: its host (or host and path, for a domain given with a path) matches an
    /// allowed entry, and no blocked one; an entry matches the host and its subdomains.
    /// </summary>
    public bool Permits(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return false;
        }

        if (BlockedDomains is { } blocked && blocked.Any(d => Matches(uri, d)))
        {
            return false;
        }

        return AllowedDomains is not { } allowed || allowed.Any(d => Matches(uri, d));
    }

    private static bool Matches(Uri uri, string entry)
    {
        var slash = entry.IndexOf('/', StringComparison.Ordinal);
        var host = slash < 0 ? entry : entry[..slash];
        var hostMatches = uri.Host.Equals(host, StringComparison.OrdinalIgnoreCase)
            || uri.Host.EndsWith("." + host, StringComparison.OrdinalIgnoreCase);
        return hostMatches && (slash < 0 || uri.AbsolutePath.StartsWith(entry[slash..], StringComparison.OrdinalIgnoreCase));
    }
}
