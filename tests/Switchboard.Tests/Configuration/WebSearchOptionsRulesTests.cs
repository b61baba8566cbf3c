using Switchboard.Configuration;

namespace Switchboard.Tests.Configuration;

public sealed class WebSearchOptionsRulesTests
{
    private static List<string> Problems(WebSearchOptions search) =>
        new SwitchboardOptionsValidator(["generic"], ["openai-chat", "anthropic"])
            .Problems(new SwitchboardOptions { WebSearch = search })
            .Where(p => p.StartsWith("Switchboard:WebSearch", StringComparison.Ordinal)).ToList();

    [Fact]
    public void No_provider_is_valid_and_each_provider_with_what_it_needs_is_valid()
    {
        Assert.Empty(Problems(new WebSearchOptions()));
        Assert.Empty(Problems(new WebSearchOptions { Provider = "searxng", Url = "http://searxng:8080" }));
        Assert.Empty(Problems(new WebSearchOptions { Provider = "Brave", ApiKey = "k" }));
        Assert.Empty(Problems(new WebSearchOptions { Provider = "tavily", ApiKey = "k" }));
        Assert.Empty(Problems(new WebSearchOptions { Provider = "exa", ApiKey = "k", Url = "https://exa.internal/api" }));
    }

    [Fact]
    public void Every_mistake_is_named_with_its_key()
    {
        Assert.Equal(
            ["Switchboard:WebSearch:Provider: 'bravo' is not one of searxng, brave, tavily, exa (did you mean 'brave'?)"],
            Problems(new WebSearchOptions { Provider = "bravo", ApiKey = "k" }));
        Assert.Contains(Problems(new WebSearchOptions { Provider = "searxng" }), p => p.StartsWith("Switchboard:WebSearch:Url: SearXNG needs", StringComparison.Ordinal));
        Assert.Contains(Problems(new WebSearchOptions { Provider = "tavily" }), p => p == "Switchboard:WebSearch:ApiKey: the tavily search API needs a key");
        Assert.Contains(Problems(new WebSearchOptions { Url = "http://searxng:8080" }), p => p.StartsWith("Switchboard:WebSearch:Provider: set it", StringComparison.Ordinal));
        var numbers = Problems(new WebSearchOptions { Provider = "exa", ApiKey = "k", Url = "ftp://x", MaxResults = 0, TimeoutSeconds = 0, MaxUsesPerRequest = 0 });
        Assert.Equal(4, numbers.Count);
    }
}
