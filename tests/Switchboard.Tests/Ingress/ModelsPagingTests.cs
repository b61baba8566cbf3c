using Switchboard.Canonical;
using Switchboard.Ingress;
using Switchboard.Routing;

namespace Switchboard.Tests.Ingress;

public sealed class ModelsPagingTests
{
    private static readonly ModelDescription[] All =
        [.. "abcde".Select(c => new ModelDescription(c.ToString(), c.ToString().ToUpperInvariant(), DateTimeOffset.UnixEpoch))];

    [Theory]
    [InlineData(null, null, 20, "a,b,c,d,e", false)]
    [InlineData(null, null, 5, "a,b,c,d,e", false)]
    [InlineData(null, null, 2, "a,b", true)]
    [InlineData("", "", 2, "a,b", true)]
    [InlineData(null, "b", 2, "c,d", true)]
    [InlineData(null, "c", 2, "d,e", false)]
    [InlineData(null, "a", 1000, "b,c,d,e", false)]
    [InlineData(null, "e", 2, "", false)]
    [InlineData("d", null, 2, "b,c", true)]
    [InlineData("c", null, 2, "a,b", false)]
    [InlineData("e", null, 1, "d", true)]
    [InlineData("a", null, 2, "", false)]
    [InlineData(null, "zz", 2, "", false)]
    [InlineData("zz", null, 2, "", false)]
    [InlineData(null, "B", 2, "", false)]
    public void Pages_follow_the_cursor_and_limit(string? beforeId, string? afterId, int limit, string expectedIds, bool expectedHasMore)
    {
        var (page, hasMore) = ModelsPaging.Paginate(All, beforeId, afterId, limit);

        Assert.Equal(expectedIds, string.Join(',', page.Select(m => m.Id)));
        Assert.Equal(expectedHasMore, hasMore);
    }

    [Fact]
    public void Default_limit_is_20()
    {
        var many = Enumerable.Range(0, 25).Select(i => new ModelDescription($"m{i}", $"M{i}", DateTimeOffset.UnixEpoch)).ToArray();

        var (page, hasMore) = ModelsPaging.Paginate(many, null, null);

        Assert.Equal(20, page.Count);
        Assert.Equal("m19", page[^1].Id);
        Assert.True(hasMore);
    }

    [Fact]
    public void Walking_forward_with_last_id_visits_every_model_once()
    {
        var seen = new List<string>();
        string? after = null;
        bool hasMore;
        do
        {
            (var page, hasMore) = ModelsPaging.Paginate(All, null, after, 2);
            seen.AddRange(page.Select(m => m.Id));
            after = page.Count > 0 ? page[^1].Id : null;
        }
        while (hasMore);

        Assert.Equal(["a", "b", "c", "d", "e"], seen);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1001)]
    public void Limit_outside_1_to_1000_is_an_invalid_request(int limit)
    {
        var exception = Assert.Throws<ApiException>(() => ModelsPaging.Paginate(All, null, null, limit));

        Assert.Equal(ApiErrorKind.InvalidRequest, exception.Error.Kind);
        Assert.StartsWith("limit: ", exception.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Both_cursors_at_once_are_an_invalid_request()
    {
        var exception = Assert.Throws<ApiException>(() => ModelsPaging.Paginate(All, "d", "a", 2));

        Assert.Equal(ApiErrorKind.InvalidRequest, exception.Error.Kind);
    }
}
