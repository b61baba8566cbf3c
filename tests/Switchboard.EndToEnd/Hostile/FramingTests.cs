using System.Text;

namespace Switchboard.EndToEnd.Hostile;

/// <summary>Malformed chunked framing is a 400 and a body that stops arriving a 408, enveloped, never a 500.</summary>
public sealed class FramingTests(DefaultHostileHost host) : IClassFixture<DefaultHostileHost>
{
    private const string Body = "{\"model\":\"fake-model\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    public static TheoryData<string, string> BrokenChunks => new()
    {
        { "chunk size not hex", "ZZZ\r\n" + Body + "\r\n0\r\n\r\n" },
        { "chunk size too long", "FFFFFFFFFFFFFFFFFFFF\r\n" + Body + "\r\n0\r\n\r\n" },
        { "chunk shorter than its size", "400\r\n" + Body + "\r\n0\r\n\r\n" },
        { "no CRLF after chunk data", $"{Body.Length:x}\r\n" + Body + "XX0\r\n\r\n" },
        { "negative chunk size", "-5\r\n" + Body + "\r\n0\r\n\r\n" },
    };

    [Theory]
    [MemberData(nameof(BrokenChunks))]
    public async Task Malformed_chunked_framing_is_400_enveloped(string what, string framing)
    {
        // Paths whose endpoint reads a body; an OpenAI door adds its own here when it lands.
        foreach (var path in new[] { "/v1/messages", "/v1/messages/count_tokens" })
        {
            string head = RawHttp.Head($"POST {path} HTTP/1.1", "127.0.0.1", "x-api-key: " + HostileHost.ApiKey,
                "anthropic-version: 2023-06-01", "content-type: application/json", "transfer-encoding: chunked");
            var exchange = await RawHttp.SendAsync(host.BaseUrl, head, Encoding.UTF8.GetBytes(framing), $"{path} {what}", TimeSpan.FromSeconds(20), path);
            // A chunk shorter than its declared size cannot be told from a slow client: the server waits for the rest,
            // and the body-rate limit ends it with a 408.
            var expected = what == "chunk shorter than its size" ? 408 : 400;
            Assert.True(exchange.Status == expected || exchange.Status == 413, $"{path} {what}: expected {expected}, got {exchange.Status} {Envelope.Short(exchange.Body)}");
            Assert.Empty(Envelope.Problems(exchange.Status, exchange.Headers, exchange.Body, Envelope.For(path)));
        }
    }

    [Theory]
    [InlineData("/v1/messages", false)]
    [InlineData("/v1/messages", true)]
    [InlineData("/v1/messages/count_tokens", false)]
    public async Task A_body_that_stops_arriving_is_408_enveloped(string path, bool chunked)
    {
        string head = RawHttp.Head($"POST {path} HTTP/1.1", "127.0.0.1", "x-api-key: " + HostileHost.ApiKey,
            "anthropic-version: 2023-06-01", "content-type: application/json", chunked ? "transfer-encoding: chunked" : "content-length: 100000");
        byte[] start = Encoding.UTF8.GetBytes(chunked ? "186a0\r\n{\"model\":\"fake-model\",\"messages\":[" : "{\"model\":\"fake-model\",\"messages\":[");
        var exchange = await RawHttp.SendAsync(host.BaseUrl, head, start, $"{path} stalled body", TimeSpan.FromSeconds(40), path);
        Assert.True(exchange.Status is 408 or 400, $"expected 408, got {exchange.Status} {Envelope.Short(exchange.Body)}");
        Assert.Empty(Envelope.Problems(exchange.Status, exchange.Headers, exchange.Body, Envelope.For(path)));
    }

    [Fact]
    public async Task After_broken_framing_a_plain_request_still_succeeds()
    {
        var exchange = await Exchange.PostAsync(host.Http, "/v1/messages", Body, "plain");
        Assert.Equal(200, exchange.Status);
    }
}
