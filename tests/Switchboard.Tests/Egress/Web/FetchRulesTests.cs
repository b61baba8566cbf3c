using System.Net;
using Switchboard.Configuration;
using Switchboard.Egress.Web;

namespace Switchboard.Tests.Egress.Web;

public sealed class FetchRulesTests
{
    [Fact]
    public void The_allow_list_permits_listed_networks_and_hosts_only()
    {
        var list = new FetchAllowList(new WebFetchOptions
        {
            AllowedPrivateNetworks = ["10.20.0.0/16", "fd00:1::/64"],
            AllowedHosts = ["wiki.corp.internal", "*.lab.internal"],
        });

        Assert.True(list.Permits("x", IPAddress.Parse("10.20.3.4")));
        Assert.True(list.Permits("x", IPAddress.Parse("::ffff:10.20.3.4")));
        Assert.True(list.Permits("x", IPAddress.Parse("fd00:1::5")));
        Assert.False(list.Permits("x", IPAddress.Parse("10.21.0.1")));
        Assert.False(list.Permits("x", IPAddress.Parse("127.0.0.1")));
        Assert.True(list.Permits("wiki.corp.internal", IPAddress.Parse("192.168.1.1")));
        Assert.True(list.Permits("WIKI.corp.internal.", IPAddress.Parse("192.168.1.1")));
        Assert.True(list.Permits("a.b.lab.internal", IPAddress.Parse("127.0.0.1")));
        Assert.False(list.Permits("lab.internal", IPAddress.Parse("127.0.0.1")));
        Assert.False(list.Permits("evilwiki.corp.internal", IPAddress.Parse("192.168.1.1")));
        Assert.True(list.Permits("anything", IPAddress.Parse("8.8.8.8")));
    }

    [Theory]
    [InlineData("example.com", "example.com", true)]
    [InlineData("docs.example.com", "example.com", true)]
    [InlineData("docs.example.com", "https://example.com/path", true)]
    [InlineData("docs.example.com", "*.example.com", true)]
    [InlineData("example.com", "EXAMPLE.com:443", true)]
    [InlineData("badexample.com", "example.com", false)]
    [InlineData("example.com.evil.net", "example.com", false)]
    [InlineData("example.com", "docs.example.com", false)]
    public void Domains_match_the_host_and_its_subdomains(string host, string domain, bool matches) =>
        Assert.Equal(matches, DomainRules.Matches(host, domain));

    [Fact]
    public void Blocked_domains_win_and_allowed_domains_exclude_the_rest()
    {
        var limits = new WebFetchLimits(1000, TimeSpan.FromSeconds(1), AllowedDomains: ["example.com"], BlockedDomains: ["private.example.com"]);
        Assert.Null(DomainRules.Refusal("www.example.com", limits));
        Assert.Contains("blocked", DomainRules.Refusal("a.private.example.com", limits), StringComparison.Ordinal);
        Assert.Contains("not among the allowed", DomainRules.Refusal("example.org", limits), StringComparison.Ordinal);
    }

    [Fact]
    public void Options_with_bad_networks_hosts_and_numbers_are_refused_at_start()
    {
        var options = new SwitchboardOptions();
        options.WebFetch.MaxBytes = 10;
        options.WebFetch.TimeoutSeconds = 0;
        options.WebFetch.MaxRedirects = -1;
        options.WebFetch.AllowedPrivateNetworks = ["10.0.0.0/33", "10.0.0.0/8"];
        options.WebFetch.AllowedHosts = ["bad host", "ok.internal"];
        var problems = new List<string>();
        WebFetchOptionsRules.Check(options, problems);

        Assert.Equal(5, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("Switchboard:WebFetch:MaxBytes:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Switchboard:WebFetch:TimeoutSeconds:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Switchboard:WebFetch:MaxRedirects:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Switchboard:WebFetch:AllowedPrivateNetworks:0:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Switchboard:WebFetch:AllowedHosts:0:", StringComparison.Ordinal));
    }
}
