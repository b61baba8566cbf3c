using System.Text.Json;
using Switchboard.Canonical;

namespace Switchboard.ServerTools;

/// <summary>
/// The web fetch tool as the client declared it (<c>web_fetch_20250910</c> and newer, in the Messages API's JSON):
/// <c>max_uses</c>, <c>allowed_domains</c> / <c>blocked_domains</c> and <c>max_content_tokens</c>.
/// </summary>
public sealed record WebFetchToolSpec(int? MaxUses, IReadOnlyList<string>? AllowedDomains, IReadOnlyList<string>? BlockedDomains, int? MaxContentTokens)
{
    public static bool IsWebFetch(RawTool tool) =>
        tool.Dialect == WebSearchToolSpec.Dialect && tool.Type.StartsWith("web_fetch_", StringComparison.Ordinal);

    public static WebFetchToolSpec Read(RawTool tool)
    {
        ArgumentNullException.ThrowIfNull(tool);
        var json = tool.Json;
        var search = WebSearchToolSpec.Read(tool, "web_fetch");
        int? maxTokens = null;
        if (json.TryGetProperty("max_content_tokens", out var tokens) && tokens.ValueKind != JsonValueKind.Null)
        {
            maxTokens = tokens.ValueKind == JsonValueKind.Number && tokens.TryGetInt32(out var n) && n > 0
                ? n
                : throw new ApiException(ApiErrorKind.InvalidRequest, "tools: web_fetch: max_content_tokens: Input should be greater than 0");
        }

        return new WebFetchToolSpec(search.MaxUses, search.AllowedDomains, search.BlockedDomains, maxTokens);
    }

    /// <summary>The domain rules as the search tool applies them (the same matching).</summary>
    public WebSearchToolSpec ToSearchSpec() => new(MaxUses, AllowedDomains, BlockedDomains, null);
}
