using Switchboard.Egress.OpenAIChat.Profiles;

namespace Switchboard.Tests.Egress.OpenAIChat.Profiles;

public sealed class MarkerHoldbackTests
{
    private static readonly string[] Markers = ["<think>", "<tool_call>"];

    [Theory]
    [InlineData("hello", 0)]
    [InlineData("hello <", 1)]
    [InlineData("hello <th", 3)]
    [InlineData("hello <tool_ca", 8)]
    [InlineData("hello <think", 6)]
    [InlineData("hello <think>", 0)]
    [InlineData("<x", 0)]
    [InlineData("", 0)]
    public void Holds_back_only_what_could_still_become_a_marker(string text, int expected) =>
        Assert.Equal(expected, MarkerHoldback.Length(text, Markers));

    [Fact]
    public void Finds_the_earliest_marker()
    {
        Assert.Equal(2, MarkerHoldback.IndexOfAny("a <tool_call> b <think>", Markers, out var found));
        Assert.Equal("<tool_call>", found);
        Assert.Equal(-1, MarkerHoldback.IndexOfAny("none here", Markers, out found));
        Assert.Null(found);
    }
}
