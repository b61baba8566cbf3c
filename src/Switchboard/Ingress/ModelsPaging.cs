using Switchboard.Canonical;
using Switchboard.Routing;

namespace Switchboard.Ingress;

/// <summary>Cursor paging of <c>GET /v1/models</c>, with the Models API's <c>before_id</c>/<c>after_id</c>/<c>limit</c>.</summary>
public static class ModelsPaging
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 1000;

    /// <summary>
    /// Returns up to <paramref name="limit"/> items right after <paramref name="afterId"/>, right before
    /// <paramref name="beforeId"/>, or from the start; <c>HasMore</c> tells whether more exist in that direction.
    /// An id that is not in the list gives an empty page.
    /// </summary>
    /// <exception cref="ApiException">The limit is out of range, or both cursors are set.</exception>
    public static (IReadOnlyList<ModelDescription> Page, bool HasMore) Paginate(
        IReadOnlyList<ModelDescription> all, string? beforeId, string? afterId, int limit = DefaultLimit)
    {
        if (limit is < 1 or > MaxLimit)
        {
            throw new ApiException(ApiErrorKind.InvalidRequest, $"limit: must be between 1 and {MaxLimit}, got {limit}");
        }

        var hasBefore = !string.IsNullOrEmpty(beforeId);
        var hasAfter = !string.IsNullOrEmpty(afterId);
        if (hasBefore && hasAfter)
        {
            throw new ApiException(ApiErrorKind.InvalidRequest, "before_id: cannot be combined with after_id");
        }

        if (hasAfter)
        {
            var position = IndexOf(all, afterId!);
            if (position < 0)
            {
                return ([], false);
            }

            var start = position + 1;
            var count = Math.Min(limit, all.Count - start);
            return (Slice(all, start, count), start + count < all.Count);
        }

        if (hasBefore)
        {
            var end = IndexOf(all, beforeId!);
            if (end < 0)
            {
                return ([], false);
            }

            var start = Math.Max(0, end - limit);
            return (Slice(all, start, end - start), start > 0);
        }

        var first = Math.Min(limit, all.Count);
        return (Slice(all, 0, first), first < all.Count);
    }

    private static int IndexOf(IReadOnlyList<ModelDescription> all, string id)
    {
        for (var i = 0; i < all.Count; i++)
        {
            if (string.Equals(all[i].Id, id, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private static ModelDescription[] Slice(IReadOnlyList<ModelDescription> all, int start, int count)
    {
        var page = new ModelDescription[count];
        for (var i = 0; i < count; i++)
        {
            page[i] = all[start + i];
        }

        return page;
    }
}
