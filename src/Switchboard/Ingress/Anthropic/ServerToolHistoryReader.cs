using System.Text.Json;
using Switchboard.Canonical;

namespace Switchboard.Ingress.Anthropic;

/// <summary>
/// Reads the server-tool blocks a client sends back in an assistant turn (<c>server_tool_use</c>,
/// <c>web_search_tool_result</c>) into their canonical form, so that a Switchboard running the tool itself can give
/// the model the call and its results again. The raw block is kept as well, for an upstream that runs the tool
/// natively. A block too malformed to read stays raw only (and is left out for other upstreams, as before).
/// </summary>
internal static class ServerToolHistoryReader
{
    public static ContentBlock? Read(string type, JsonElement block, in FieldPath at) => type switch
    {
        "server_tool_use" => ReadCall(block),
        "web_search_tool_result" => ReadSearchResult(block, at),
        "web_fetch_tool_result" => ReadFetchResult(block),
        _ => null,
    };

    private static ServerToolUseBlock? ReadCall(JsonElement block) =>
        String(block, "id") is { } id && String(block, "name") is { } name
        && block.TryGetProperty("input", out var input) && input.ValueKind == JsonValueKind.Object
            ? new ServerToolUseBlock(id, name, input.GetRawText())
            : null;

    private static WebSearchResultBlock? ReadSearchResult(JsonElement block, in FieldPath at)
    {
        if (String(block, "tool_use_id") is not { } id || !block.TryGetProperty("content", out var content))
        {
            return null;
        }

        if (content.ValueKind == JsonValueKind.Object)
        {
            return new WebSearchResultBlock(id, [], String(content, "error_code") ?? "unavailable") { Location = at.ToString() };
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var hits = new List<WebSearchHit>(content.GetArrayLength());
        foreach (var item in content.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || String(item, "url") is not { } url)
            {
                return null;
            }

            hits.Add(new WebSearchHit(url, String(item, "title") ?? "", String(item, "encrypted_content") ?? "", String(item, "page_age")));
        }

        return new WebSearchResultBlock(id, hits, null) { Location = at.ToString() };
    }

    /// <summary>A fetched document's text (a text source) or the fetch's error code.</summary>
    private static WebFetchResultBlock? ReadFetchResult(JsonElement block)
    {
        if (String(block, "tool_use_id") is not { } id || !block.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (String(content, "error_code") is { } code)
        {
            return new WebFetchResultBlock(id, null, null, null, null, code);
        }

        if (!content.TryGetProperty("content", out var document) || document.ValueKind != JsonValueKind.Object
            || !document.TryGetProperty("source", out var source) || String(source, "data") is not { } data)
        {
            return null;
        }

        // A base64 PDF source is not read back: the model is told the document was fetched, without its text.
        var text = String(source, "type") == "text" ? data : null;
        return new WebFetchResultBlock(id, String(content, "url"), String(document, "title"), text, String(content, "retrieved_at"), null);
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
