using Switchboard.Ingress.Anthropic;

namespace Switchboard.Tests.Ingress.Anthropic;

public sealed class ToolUseIdsTests
{
    [Theory]
    [InlineData("chatcmpl-tool-8f2a", "toolu_chatcmpl-tool-8f2a")]
    [InlineData("call_abc123", "toolu_call_abc123")]
    [InlineData("functions.get_weather:0", "toolu_functions_get_weather_0")]
    [InlineData("toolu_01TJabc", "toolu_01TJabc")]
    [InlineData("toolu_bad id", "toolu_toolu_bad_id")]
    public void Upstream_tool_ids_become_anthropic_style_ids(string upstream, string expected) =>
        Assert.Equal(expected, ToolUseIds.From(upstream));

    [Fact]
    public void A_missing_upstream_id_gets_a_fresh_one()
    {
        var first = ToolUseIds.From(null);
        var second = ToolUseIds.From("");

        Assert.Matches("^toolu_[A-Za-z0-9]{24}$", first);
        Assert.Matches("^toolu_[A-Za-z0-9]{24}$", second);
        Assert.NotEqual(first, second);
    }
}
