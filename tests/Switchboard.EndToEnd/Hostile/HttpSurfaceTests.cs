using System.Text;

namespace Switchboard.EndToEnd.Hostile;

/// <summary>
/// Every response has a body in the path's dialect and a request id: 404 for any path (dotted last segment too),
/// 405, 413, 414, 431, and Kestrel's own rejections of malformed requests.
/// </summary>
public sealed class HttpSurfaceTests(SmallBodyHostileHost host) : IClassFixture<SmallBodyHostileHost>
{
    private const string Body = "{\"model\":\"fake-model\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private readonly FailureReport _report = new();

    [Theory]
    [InlineData("GET", "/nope")]
    [InlineData("GET", "/favicon.ico")]
    [InlineData("GET", "/.env")]
    [InlineData("GET", "/v1/foo.bar")]
    [InlineData("POST", "/v1/messages/batches.json")]
    [InlineData("POST", "/v1/messages/nope")]
    [InlineData("GET", "/v1/messages/x.y")]
    [InlineData("GET", "/v1/chat/completions/abc.json")]
    [InlineData("GET", "/v1/responses/resp_1.txt")]
    [InlineData("POST", "/v1/embeddings/x")]
    [InlineData("GET", "/v1/models/some.model.v2/extra")]
    public async Task Unknown_paths_are_404_in_the_paths_dialect_with_a_request_id(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = new StringContent(Body, Encoding.UTF8, "application/json");
        }

        var exchange = await Exchange.SendAsync(host.Http, request, $"{method} {path}");
        Assert.Equal(404, exchange.Status);
        AssertEnveloped(exchange);
    }

    [Theory]
    [InlineData("GET", "/v1/messages")]
    [InlineData("PUT", "/v1/messages")]
    [InlineData("DELETE", "/v1/messages/count_tokens")]
    [InlineData("POST", "/v1/models")]
    [InlineData("PATCH", "/v1/models/fake-model")]
    public async Task A_wrong_method_is_405_enveloped(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(Body, Encoding.UTF8, "application/json") };
        var exchange = await Exchange.SendAsync(host.Http, request, $"{method} {path}");
        Assert.Equal(405, exchange.Status);
        AssertEnveloped(exchange);
    }

    [Theory]
    [InlineData("/v1/messages", false)]
    [InlineData("/v1/messages", true)]
    [InlineData("/v1/messages/count_tokens", false)]
    [InlineData("/v1/chat/completions", false)]
    public async Task A_body_over_the_limit_is_413_enveloped(string path, bool chunked)
    {
        var huge = Encoding.UTF8.GetBytes("{\"model\":\"fake-model\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"" + new string('x', 2 * 1024 * 1024) + "\"}]}");
        HttpContent content = chunked ? new StreamContent(new MemoryStream(huge)) : new ByteArrayContent(huge);
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (chunked)
        {
            request.Headers.TransferEncodingChunked = true;
        }

        var exchange = await Exchange.SendAsync(host.Http, request, $"POST {path} 2 MiB chunked={chunked}");
        Assert.Equal(413, exchange.Status);
        AssertEnveloped(exchange);
    }

    [Theory]
    [InlineData("/v1/messages")]
    [InlineData("/v1/chat/completions")]
    public async Task Headers_too_large_are_431_enveloped(string path)
    {
        string head = RawHttp.Head($"POST {path} HTTP/1.1", "127.0.0.1", "x-api-key: " + HostileHost.ApiKey,
            "content-type: application/json", $"content-length: {Body.Length}", "x-filler: " + new string('a', 64 * 1024));
        var exchange = await RawHttp.SendAsync(host.BaseUrl, head, Encoding.UTF8.GetBytes(Body), $"POST {path} 64 KiB header", TimeSpan.FromSeconds(20), path);
        Assert.Equal(431, exchange.Status);
        AssertEnveloped(exchange);
    }

    [Theory]
    [InlineData("/v1/messages")]
    [InlineData("/v1/chat/completions")]
    public async Task A_request_line_too_long_is_414_enveloped(string path)
    {
        string target = path + "?q=" + new string('a', 20 * 1024);
        string head = RawHttp.Head($"POST {target} HTTP/1.1", "127.0.0.1", "x-api-key: " + HostileHost.ApiKey,
            "content-type: application/json", $"content-length: {Body.Length}");
        var exchange = await RawHttp.SendAsync(host.BaseUrl, head, Encoding.UTF8.GetBytes(Body), $"POST {path}?20 KiB", TimeSpan.FromSeconds(20), path);
        Assert.Equal(414, exchange.Status);
        AssertEnveloped(exchange);
    }

    [Theory]
    [InlineData("GARBAGE", "malformed request line")]
    [InlineData("POST /v1/messages HTTP/1.7", "unsupported HTTP version")]
    [InlineData("POST /v1/messages HTTP/1.1\r\nBad Header Line", "header without colon")]
    [InlineData("POST /v1/messages HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 7", "two content lengths")]
    [InlineData("POST /v1/messages HTTP/1.1\r\nContent-Length: abc", "non-numeric content length")]
    public async Task Requests_Kestrel_rejects_are_4xx_or_505_enveloped_with_a_request_id(string requestLine, string what)
    {
        string head = requestLine + "\r\nHost: 127.0.0.1\r\nx-api-key: " + HostileHost.ApiKey + "\r\n\r\n";
        var exchange = await RawHttp.SendAsync(host.BaseUrl, head, [], what, TimeSpan.FromSeconds(20), "/v1/messages");
        Assert.InRange(exchange.Status, 400, 505);
        Assert.NotEqual(500, exchange.Status);
        AssertEnveloped(exchange);
    }

    private void AssertEnveloped(Exchange exchange)
    {
        _report.Add(exchange, Envelope.Problems(exchange.Status, exchange.Headers, exchange.Body, Envelope.For(exchange.Path)));
        _report.AssertClean();
    }
}
