using Switchboard.Egress.OpenAIChat.Profiles;

namespace Switchboard.Tests.Egress.OpenAIChat.Profiles;

public sealed class JsonValueScannerTests
{
    [Theory]
    [InlineData("{}", 2)]
    [InlineData("{\"a\": [1, {\"b\": 2}]} tail", 20)]
    [InlineData("[{\"s\": \"} ] { [\"}] ;", 18)]
    [InlineData("{\"s\": \"quote \\\" and backslash \\\\\"}x", 34)]
    [InlineData("{\"open\": [", -1)]
    [InlineData("{\"s\": \"}", -1)]
    public void Finds_where_the_value_ends_however_it_is_fed(string text, int expectedEnd)
    {
        var whole = new JsonValueScanner();
        Assert.Equal(expectedEnd, whole.Advance(text));

        for (var split = 0; split <= text.Length; split++)
        {
            var scanner = new JsonValueScanner();
            var end = scanner.Advance(text.AsSpan(0, split));
            if (end < 0)
            {
                var rest = scanner.Advance(text.AsSpan(split));
                end = rest < 0 ? -1 : split + rest;
            }

            Assert.Equal(expectedEnd, end);
        }
    }
}
