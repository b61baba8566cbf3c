using System.Text.Json;
using Switchboard.Ingress.OpenAIResponses;

namespace Switchboard.Tests.Ingress.OpenAIResponses;

public sealed class InputItemsPageTests
{
    private static readonly JsonElement[] Items =
        [.. Enumerable.Range(1, 5).Select(i => JsonDocument.Parse($$"""{"id":"i{{i}}","type":"message"}""").RootElement.Clone())];

    private static (string Ids, bool HasMore) Page(bool ascending, int limit, string? after = null, string? before = null)
    {
        var page = InputItemsPage.Take(Items, ascending, limit, after, before, out var unknown);
        Assert.Null(unknown);
        return (string.Join(",", page!.Items.Select(i => InputItemsPage.IdOf(i))), page.HasMore);
    }

    [Fact]
    public void Descending_is_last_first_and_after_continues_where_the_last_page_ended()
    {
        Assert.Equal(("i5,i4", true), Page(false, 2));
        Assert.Equal(("i3,i2", true), Page(false, 2, after: "i4"));
        Assert.Equal(("i1", false), Page(false, 2, after: "i2"));
        Assert.Equal(("i5,i4,i3,i2,i1", false), Page(false, 20));
    }

    [Fact]
    public void Ascending_is_first_first()
    {
        Assert.Equal(("i1,i2,i3", true), Page(true, 3));
        Assert.Equal(("i4,i5", false), Page(true, 3, after: "i3"));
        Assert.Equal(("", false), Page(true, 3, after: "i5"));
    }

    [Fact]
    public void Before_gives_the_items_nearest_to_it_and_after_with_before_a_window()
    {
        Assert.Equal(("i2,i3", true), Page(true, 2, before: "i4"));
        Assert.Equal(("i1,i2,i3", false), Page(true, 5, before: "i4"));
        Assert.Equal(("i4,i3", true), Page(false, 2, after: "i5", before: "i1"));
        Assert.Equal(("i2", false), Page(true, 5, after: "i1", before: "i3"));
    }

    [Fact]
    public void An_unknown_cursor_is_named()
    {
        Assert.Null(InputItemsPage.Take(Items, true, 5, "nope", null, out var after));
        Assert.Equal("after", after);
        Assert.Null(InputItemsPage.Take(Items, true, 5, null, "nope", out var before));
        Assert.Equal("before", before);
    }
}
