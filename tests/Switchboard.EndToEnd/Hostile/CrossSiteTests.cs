using System.Text;

namespace Switchboard.EndToEnd.Hostile;

/// <summary>
/// A key-less instance serves only loopback callers: a browser page on another site (a foreign <c>Host</c> after DNS
/// rebinding, or a foreign <c>Origin</c> on a "simple" <c>text/plain</c> request) gets 403 <c>permission_error</c>.
/// </summary>
public sealed class CrossSiteTests(KeylessHostileHost host) : IClassFixture<KeylessHostileHost>
{
    private const string Body = "{\"model\":\"fake-model\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    [Theory]
    [InlineData("/v1/messages", "attacker.example", null)]
    [InlineData("/v1/messages", "attacker.example:4000", null)]
    [InlineData("/v1/messages", null, "http://attacker.example")]
    [InlineData("/v1/messages", "attacker.example", "http://attacker.example")]
    [InlineData("/v1/messages/count_tokens", null, "http://attacker.example")]
    [InlineData("/v1/messages", null, "null")]
    [InlineData("/v1/chat/completions", "attacker.example", "http://attacker.example")]
    public async Task Cross_site_requests_to_a_keyless_instance_are_403_permission_error(string path, string? hostHeader, string? origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(Body, Encoding.UTF8, "text/plain") };
        if (hostHeader is not null)
        {
            request.Headers.Host = hostHeader;
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        int before = host.Upstream.Requests.Count;
        var exchange = await Exchange.SendAsync(host.Anonymous, request, $"{path} Host={hostHeader} Origin={origin}");
        Assert.Equal(403, exchange.Status);
        Assert.Empty(Envelope.Problems(exchange.Status, exchange.Headers, exchange.Body, Envelope.For(path)));
        Assert.Contains("permission_error", exchange.Body);
        Assert.Equal(before, host.Upstream.Requests.Count);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("localhost", null)]
    [InlineData(null, "http://localhost:3000")]
    [InlineData(null, "http://127.0.0.1:5173")]
    public async Task Loopback_callers_are_still_served_without_a_key(string? hostHeader, string? origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = new StringContent(Body, Encoding.UTF8, "application/json") };
        if (hostHeader is not null)
        {
            request.Headers.Host = hostHeader;
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        var exchange = await Exchange.SendAsync(host.Anonymous, request, "loopback");
        Assert.Equal(200, exchange.Status);
    }
}
