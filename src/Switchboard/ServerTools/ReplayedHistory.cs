using System.Globalization;
using System.Text.Json;
using Switchboard.Canonical;

namespace Switchboard.ServerTools;

/// <summary>
/// Gives the model back the searches and fetches of earlier turns that the client replays: an assistant turn's
/// <c>server_tool_use</c> becomes a call of the <c>web_search</c> or <c>web_fetch</c> function, and its result block
/// ends the assistant turn with the function's answer (search results opened from their sealed
/// <c>encrypted_content</c>; a fetched document's text as the client kept it), the rest of the assistant turn
/// following it. A result in Switchboard's seal format that does not open (altered, or sealed by another key) is
/// refused, naming the block: what the model is told must be what Switchboard found. Another provider's result
/// (a conversation begun on Anthropic) gives the model its title and URL only.
/// </summary>
internal static class ReplayedHistory
{
    public static IReadOnlyList<Message> Lower(IReadOnlyList<Message> messages, ResultSeal seal, NumberedResults results)
    {
        if (!messages.Any(static m => m.Content.Any(IsSearchBlock)))
        {
            return messages;
        }

        var lowered = new List<Message>(messages.Count + 2);
        foreach (var message in messages)
        {
            if (message.Role != Role.Assistant || !message.Content.Any(IsSearchBlock))
            {
                lowered.Add(message);
                continue;
            }

            var queries = new Dictionary<string, string?>(StringComparer.Ordinal);
            var current = new List<ContentBlock>();
            foreach (var block in message.Content)
            {
                switch (block)
                {
                    case RawBlock { ServerTool: ServerToolUseBlock { Name: ServerToolRun.SearchFunction or ServerToolRun.FetchFunction } call }:
                        queries[call.Id] = QueryOf(call.InputJson);
                        current.Add(new ToolUseBlock(call.Id, call.Name, call.InputJson));
                        break;
                    case RawBlock { ServerTool: WebFetchResultBlock fetched }:
                        if (current.Count > 0)
                        {
                            lowered.Add(new Message(Role.Assistant, current));
                        }

                        var page = fetched.ErrorCode is { } code
                            ? $"The fetch failed ({code})."
                            : $"Fetched {fetched.Url}{(fetched.Title is { } title ? $" ({title})" : "")}:\n\n{fetched.Text ?? "(the document's text is not available)"}";
                        lowered.Add(new Message(Role.User, [new ToolResultBlock(fetched.ToolUseId, [new TextBlock(page)], fetched.ErrorCode is not null)]));
                        current = [];
                        break;
                    case RawBlock { ServerTool: WebSearchResultBlock result }:
                        if (current.Count > 0)
                        {
                            lowered.Add(new Message(Role.Assistant, current));
                        }

                        var text = Open(result, seal, results, queries.GetValueOrDefault(result.ToolUseId));
                        lowered.Add(new Message(Role.User, [new ToolResultBlock(result.ToolUseId, [new TextBlock(text)], result.ErrorCode is not null)]));
                        current = [];
                        break;
                    default:
                        current.Add(block);
                        break;
                }
            }

            if (current.Count > 0)
            {
                lowered.Add(new Message(Role.Assistant, current));
            }
        }

        return lowered;
    }

    private static bool IsSearchBlock(ContentBlock block) =>
        block is RawBlock { ServerTool: WebSearchResultBlock or WebFetchResultBlock or ServerToolUseBlock { Name: ServerToolRun.SearchFunction or ServerToolRun.FetchFunction } };

    private static string Open(WebSearchResultBlock result, ResultSeal seal, NumberedResults results, string? query)
    {
        if (result.ErrorCode is { } code)
        {
            return $"The search failed ({code}).";
        }

        var hits = new List<(string, string, string, string?)>(result.Hits.Count);
        for (var i = 0; i < result.Hits.Count; i++)
        {
            var hit = result.Hits[i];

            // Another provider's result (the conversation began elsewhere) cannot be read: its title and URL remain.
            var text = !ResultSeal.IsSwitchboardSeal(hit.EncryptedContent) ? "(the text of this result is not available)" : seal.Open(hit.EncryptedContent)
                ?? throw new ApiException(
                    ApiErrorKind.InvalidRequest,
                    $"{result.Location ?? "web_search_tool_result"}.content.{i.ToString(CultureInfo.InvariantCulture)}.encrypted_content: this search result was not issued by this server or was altered; send the web_search_tool_result block back unchanged");
            hits.Add((hit.Url, hit.Title, text, hit.PageAge));
        }

        return results.Add(query, hits);
    }

    private static string? QueryOf(string inputJson)
    {
        try
        {
            using var input = JsonDocument.Parse(inputJson);
            return input.RootElement.TryGetProperty("query", out var q) && q.ValueKind == JsonValueKind.String ? q.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
