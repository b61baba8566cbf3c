using System.Text;
using Switchboard.ServerTools;

namespace Switchboard.Tests.ServerTools;

public sealed class CitationMarkersTests
{
    private static (string Text, List<string> Events) Run(int known, params string[] pieces)
    {
        var markers = new CitationMarkers(n => n >= 1 && n <= known);
        var text = new StringBuilder();
        var events = new List<string>();
        foreach (var piece in pieces)
        {
            markers.Feed(piece, t => { text.Append(t); events.Add("text:" + t); }, n => events.Add("cite:" + n));
        }

        markers.Flush(t => { text.Append(t); events.Add("text:" + t); });
        return (text.ToString(), events);
    }

    [Fact]
    public void A_marker_becomes_a_citation_after_the_text_it_follows_and_leaves_the_text_with_its_space()
    {
        var (text, events) = Run(3, "Paris is the capital [2]. It is big.");

        Assert.Equal("Paris is the capital. It is big.", text);
        Assert.Equal(["text:Paris is the capital", "cite:2", "text:. It is big."], events);
    }

    [Fact]
    public void A_marker_split_across_pieces_and_a_list_of_numbers_are_found()
    {
        var (text, events) = Run(3, "Yes [", "1,", " 3", "] and no.");

        Assert.Equal("Yes and no.", text);
        Assert.Equal(["cite:1", "cite:3"], events.Where(e => e.StartsWith("cite:", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("See [4] for more.")]
    [InlineData("A [link](http://x) here.")]
    [InlineData("An array a[0] = 1 and [1a].")]
    [InlineData("Unclosed [2")]
    public void Anything_else_in_brackets_stays_text(string input)
    {
        var (text, events) = Run(3, input);

        Assert.Equal(input.Replace("[0]", "[0]", StringComparison.Ordinal), text);
        Assert.DoesNotContain(events, e => e.StartsWith("cite:", StringComparison.Ordinal));
    }
}
