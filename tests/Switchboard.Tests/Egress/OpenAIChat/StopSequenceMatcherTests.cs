using Switchboard.Egress.OpenAIChat;

namespace Switchboard.Tests.Egress.OpenAIChat;

public sealed class StopSequenceMatcherTests
{
    [Fact]
    public void Text_before_a_stop_sequence_passes_and_the_sequence_is_reported()
    {
        var matcher = new StopSequenceMatcher(["END", "STOP"]);

        var passed = matcher.Feed("1, 2, 3 END 4");

        Assert.Equal("1, 2, 3 ", passed);
        Assert.Equal("END", matcher.Matched);
        Assert.Equal("", matcher.Feed("more"));
    }

    [Fact]
    public void A_stop_sequence_split_across_pieces_is_found_and_never_passed_on()
    {
        var matcher = new StopSequenceMatcher(["<END>"]);

        var passed = matcher.Feed("one <E") + matcher.Feed("N") + matcher.Feed("D> two");

        Assert.Equal("one ", passed);
        Assert.Equal("<END>", matcher.Matched);
    }

    [Fact]
    public void Held_text_that_is_not_a_stop_sequence_is_passed_on_later()
    {
        var matcher = new StopSequenceMatcher(["<END>"]);

        var first = matcher.Feed("one <EN");
        var second = matcher.Feed("TRY");
        var third = matcher.Feed(" ends <E");
        var rest = matcher.TakeHeld();

        Assert.Equal("one ", first);
        Assert.Equal("<ENTRY", second);
        Assert.Equal(" ends ", third);
        Assert.Equal("<E", rest);
        Assert.Null(matcher.Matched);
    }

    [Fact]
    public void The_earliest_match_wins_and_the_longer_of_two_at_one_place()
    {
        var matcher = new StopSequenceMatcher(["b", "ab", "abc"]);

        var passed = matcher.Feed("xxabcd");

        Assert.Equal("xx", passed);
        Assert.Equal("abc", matcher.Matched);
    }
}
