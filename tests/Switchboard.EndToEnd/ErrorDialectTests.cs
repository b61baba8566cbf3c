using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.Hosting;

namespace Switchboard.EndToEnd;

/// <summary>
/// Every error outside the endpoints (unknown paths, wrong methods, authentication, broken framing, stalled bodies,
/// oversized lines and headers) has a JSON body in the dialect of its path and a <c>request-id</c>.
/// </summary>
public sealed class ErrorDialectTests
{
    private const string Auth = "x-api-key: " + SwitchboardHost.ApiKey + "\r\n";

    // /v1/models is shared by both doors and answers in the dialect its headers show; these are Anthropic clients.
    private const string AnthropicVersion = "anthropic-version: 2023-06-01\r\n";

    private static JsonElement Error(string body) => JsonDocument.Parse(body).RootElement.GetProperty("error");

    private static void AssertAnthropic(RawResponse response, int status, string type)
    {
        Assert.Equal(status, response.Status);
        Assert.StartsWith("req_", response.Headers["request-id"], StringComparison.Ordinal);
        using var body = JsonDocument.Parse(response.Body);
        Assert.Equal("error", body.RootElement.GetProperty("type").GetString());
        Assert.Equal(type, body.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(response.Headers["request-id"], body.RootElement.GetProperty("request_id").GetString());
    }

    [Theory]
    [InlineData("/v1/completions")]
    [InlineData("/v1/responses/resp_123/unknown")]
    [InlineData("/v1/embeddings")]
    public async Task OpenAI_paths_answer_not_found_in_openais_shape(string path)
    {
        await using var host = await SwitchboardHost.StartAsync();

        using var response = await host.Http.PostAsync(path, RawRequests.Json("""{"model":"fake-model","messages":[]}"""));
        var json = await response.Content.ReadAsStringAsync();
        var error = Error(json);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
        Assert.Equal("not_found", error.GetProperty("code").GetString());
        Assert.Contains(path, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.False(JsonDocument.Parse(json).RootElement.TryGetProperty("type", out _), json);
        var requestId = response.Headers.GetValues("request-id").Single();
        Assert.StartsWith("req_", requestId, StringComparison.Ordinal);
        Assert.Equal(requestId, response.Headers.GetValues("x-request-id").Single());
    }

    [Fact]
    public async Task OpenAI_paths_refuse_a_missing_key_in_openais_shape()
    {
        await using var host = await SwitchboardHost.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };

        using var response = await anonymous.PostAsync("/v1/chat/completions", RawRequests.Json("{}"));
        var error = Error(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(("invalid_request_error", "invalid_api_key"), (error.GetProperty("type").GetString(), error.GetProperty("code").GetString()));
    }

    [Theory]
    [InlineData("GET", "/v1/foo.json")]
    [InlineData("GET", "/v1/messages/batches/x.y")]
    [InlineData("DELETE", "/favicon.ico")]
    public async Task Any_unknown_path_is_an_anthropic_not_found(string method, string path)
    {
        await using var host = await SwitchboardHost.StartAsync();

        var response = await RawHttp.SendAsync(host.BaseUrl, $"{method} {path} HTTP/1.1\r\nHost: localhost\r\n{Auth}Content-Length: 0\r\n\r\n");

        AssertAnthropic(response, 404, "not_found_error");
    }

    [Theory]
    [InlineData("POST", "/v1/models", "GET")]
    [InlineData("GET", "/v1/messages", "POST")]
    [InlineData("PUT", "/v1/models/fake-model", "GET")]
    public async Task A_wrong_method_is_a_405_naming_the_right_one(string method, string path, string allowed)
    {
        await using var host = await SwitchboardHost.StartAsync();

        var response = await RawHttp.SendAsync(host.BaseUrl, $"{method} {path} HTTP/1.1\r\nHost: localhost\r\n{Auth}Content-Length: 0\r\n\r\n");

        AssertAnthropic(response, 405, "invalid_request_error");
        Assert.Equal(allowed, response.Headers["allow"]);
    }

    [Fact]
    public async Task Malformed_chunked_framing_is_a_400_not_a_500()
    {
        await using var host = await SwitchboardHost.StartAsync();

        var response = await RawHttp.SendAsync(host.BaseUrl,
            $"POST /v1/messages HTTP/1.1\r\nHost: localhost\r\n{Auth}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
            ["zz\r\n{\"model\"\r\n"]);

        AssertAnthropic(response, 400, "invalid_request_error");
    }

    [Fact]
    public async Task Malformed_chunked_framing_on_an_openai_path_is_an_openai_400()
    {
        await using var host = await SwitchboardHost.StartAsync();

        // No endpoint reads this body, so the path's 404 answers; the point is that nothing here is a bare 500.
        var response = await RawHttp.SendAsync(host.BaseUrl,
            $"POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\n{Auth}Transfer-Encoding: chunked\r\n\r\n", ["zz\r\n"]);

        Assert.InRange(response.Status, 400, 499);
        Assert.True(Error(response.Body).TryGetProperty("param", out _), response.Body);
        Assert.StartsWith("req_", response.Headers["request-id"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_that_stops_arriving_is_a_408()
    {
        await using var host = await SwitchboardHost.StartAsync();

        // Kestrel's minimum data rate (240 bytes/s after a 5 s grace period) ends the wait.
        var response = await RawHttp.SendAsync(host.BaseUrl,
            $"POST /v1/messages HTTP/1.1\r\nHost: localhost\r\n{Auth}Content-Type: application/json\r\nContent-Length: 5000\r\n\r\n",
            ["{\"model\":"], readFor: TimeSpan.FromSeconds(30));

        AssertAnthropic(response, 408, "timeout_error");
    }

    [Fact]
    public async Task A_body_over_the_limit_in_chunks_is_a_413()
    {
        await using var host = await SwitchboardHost.StartAsync(args: ["--Switchboard:MaxRequestBodyBytes=1024"]);
        var chunk = new string('a', 2048);

        var response = await RawHttp.SendAsync(host.BaseUrl,
            $"POST /v1/messages HTTP/1.1\r\nHost: localhost\r\n{Auth}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
            [$"{chunk.Length:x}\r\n{chunk}\r\n0\r\n\r\n"]);

        AssertAnthropic(response, 413, "request_too_large");
    }

    [Fact]
    public async Task Oversized_headers_are_a_431_with_a_body()
    {
        await using var host = await SwitchboardHost.StartAsync();
        var big = new string('h', RequestLimits.MaxHeaderBytes + 100);

        var response = await RawHttp.SendAsync(host.BaseUrl, $"GET /v1/models HTTP/1.1\r\nHost: localhost\r\n{Auth}{AnthropicVersion}x-big: {big}\r\n\r\n");

        AssertAnthropic(response, 431, "invalid_request_error");
    }

    [Fact]
    public async Task Too_many_headers_are_a_431_with_a_body()
    {
        await using var host = await SwitchboardHost.StartAsync();
        var many = string.Concat(Enumerable.Range(0, RequestLimits.MaxHeaderCount + 5).Select(i => $"x-h{i}: v\r\n"));

        var response = await RawHttp.SendAsync(host.BaseUrl, $"GET /v1/models HTTP/1.1\r\nHost: localhost\r\n{Auth}{AnthropicVersion}{many}\r\n");

        AssertAnthropic(response, 431, "invalid_request_error");
    }

    [Fact]
    public async Task An_overlong_uri_is_a_414_with_a_body()
    {
        await using var host = await SwitchboardHost.StartAsync();
        var query = new string('q', RequestLimits.MaxTargetBytes + 100);

        var response = await RawHttp.SendAsync(host.BaseUrl, $"GET /v1/models?x={query} HTTP/1.1\r\nHost: localhost\r\n{Auth}{AnthropicVersion}\r\n");

        AssertAnthropic(response, 414, "invalid_request_error");
    }

    [Theory]
    [InlineData("/v1/chat/completions/boom", "server_error")]
    [InlineData("/v1/messages/boom", "api_error")]
    public async Task An_unexpected_failure_is_a_500_in_the_paths_dialect_without_a_stack_trace(string path, string type)
    {
        var logs = new CapturedLogs();
        await using var app = SwitchboardApp.Create(
            ["--port", "0", "--Logging:LogLevel:Default=Warning", TestDataRoot.FreshDirectoryArg()],
            builder => builder.Services.AddSingleton<ILoggerProvider>(logs));
        app.MapGet(path, string () => throw new InvalidOperationException("secret internal detail"));
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        using var response = await http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        await app.StopAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(type, Error(body).GetProperty("type").GetString());
        Assert.DoesNotContain("secret internal detail", body, StringComparison.Ordinal);
        Assert.StartsWith("req_", response.Headers.GetValues("request-id").Single(), StringComparison.Ordinal);
        Assert.Single(logs.Lines, l => l.Level >= LogLevel.Error);
    }
}
