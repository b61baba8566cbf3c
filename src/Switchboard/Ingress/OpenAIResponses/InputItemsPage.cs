using System.Text.Json;

namespace Switchboard.Ingress.OpenAIResponses;

/// <summary>
/// One page of a stored response's input items, paged as OpenAI pages them: <c>order</c> <c>desc</c> (the default,
/// last item first) or <c>asc</c>; <c>after</c> an item id starts after it, <c>before</c> ends before it (the page
/// nearest to it); <c>limit</c> 1–100 (default 20); <c>has_more</c> when items are left beyond the page in the
/// paging direction.
/// </summary>
public sealed record InputItemsPage(IReadOnlyList<JsonElement> Items, bool HasMore)
{
    public const int DefaultLimit = 20;

    public const int MaxLimit = 100;

    /// <summary>The page; null with <paramref name="unknownCursor"/> set when <c>after</c> or <c>before</c> names no item.</summary>
    public static InputItemsPage? Take(
        IReadOnlyList<JsonElement> items, bool ascending, int limit, string? after, string? before, out string? unknownCursor)
    {
        ArgumentNullException.ThrowIfNull(items);
        unknownCursor = null;
        var ordered = ascending ? items.ToList() : items.Reverse().ToList();
        var start = 0;
        var end = ordered.Count;
        if (after is not null)
        {
            var at = ordered.FindIndex(i => IdOf(i) == after);
            if (at < 0)
            {
                unknownCursor = "after";
                return null;
            }

            start = at + 1;
        }

        if (before is not null)
        {
            var at = ordered.FindIndex(i => IdOf(i) == before);
            if (at < 0)
            {
                unknownCursor = "before";
                return null;
            }

            end = Math.Max(start, at);
        }

        var range = ordered.GetRange(start, end - start);
        if (range.Count <= limit)
        {
            return new InputItemsPage(range, false);
        }

        // Paging backwards from `before` (without `after`): the items nearest to the cursor.
        return before is not null && after is null
            ? new InputItemsPage(range.GetRange(range.Count - limit, limit), true)
            : new InputItemsPage(range.GetRange(0, limit), true);
    }

    public static string? IdOf(JsonElement item) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
}
