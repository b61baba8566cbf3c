using System.Text.Json;
using Switchboard.Canonical;
using Switchboard.ServerTools;

namespace Switchboard.Tests.ServerTools;

public sealed class WebSearchToolSpecTests
{
    private static WebSearchToolSpec Read(string json) =>
        WebSearchToolSpec.Read(new RawTool("anthropic", "web_search_20250305", JsonDocument.Parse(json).RootElement));

    [Fact]
    public void The_declaration_is_read()
    {
        var spec = Read("""{"type":"web_search_20250305","name":"web_search","max_uses":3,"allowed_domains":["Example.com"],"user_location":{"type":"approximate","country":"DE","city":"Berlin"}}""");

        Assert.Equal(3, spec.MaxUses);
        Assert.Equal(["example.com"], spec.AllowedDomains);
        Assert.Equal("DE", spec.Country);
    }

    [Theory]
    [InlineData("""{"max_uses":0}""", "max_uses")]
    [InlineData("""{"allowed_domains":["a.com"],"blocked_domains":["b.com"]}""", "cannot both be set")]
    [InlineData("""{"blocked_domains":"b.com"}""", "blocked_domains")]
    [InlineData("""{"user_location":{"country":"Germany"}}""", "user_location.country")]
    public void A_malformed_declaration_is_refused_naming_the_field(string json, string named)
    {
        var refusal = Assert.Throws<ApiException>(() => Read(json));

        Assert.Equal(ApiErrorKind.InvalidRequest, refusal.Error.Kind);
        Assert.Contains(named, refusal.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://example.com/a", true)]
    [InlineData("https://docs.example.com/a", true)]
    [InlineData("https://notexample.com/a", false)]
    [InlineData("https://blog.other.org/posts/1", true)]
    [InlineData("https://blog.other.org/about", false)]
    [InlineData("ftp://example.com/a", false)]
    public void Allowed_domains_match_hosts_their_subdomains_and_paths(string url, bool permitted) =>
        Assert.Equal(permitted, new WebSearchToolSpec(null, ["example.com", "other.org/posts"], null, null).Permits(url));

    [Fact]
    public void Blocked_domains_remove_hosts_and_their_subdomains()
    {
        var spec = new WebSearchToolSpec(null, null, ["example.com"], null);

        Assert.False(spec.Permits("https://www.example.com/"));
        Assert.True(spec.Permits("https://example.org/"));
    }
}
