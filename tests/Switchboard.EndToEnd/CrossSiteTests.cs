using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.Hosting;

namespace Switchboard.EndToEnd;

/// <summary>Key-less mode refuses what a web page could send to a developer's loopback gateway.</summary>
public sealed class CrossSiteTests
{
    private static async Task<(WebApplication App, HttpClient Http)> StartAsync(params string[] args)
    {
        var app = SwitchboardApp.Create(["--port", "0", "--Logging:LogLevel:Default=Warning", TestDataRoot.FreshDirectoryArg(), .. args]);
        await app.StartAsync();
        return (app, new HttpClient { BaseAddress = new Uri(app.Urls.First()) });
    }

    private static HttpRequestMessage Models(string? host = null, string? origin = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        return request;
    }

    private static async Task<string> PermissionErrorAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = body.RootElement.GetProperty("error");
        Assert.Equal("permission_error", error.GetProperty("type").GetString());
        Assert.True(response.Headers.Contains("request-id"));
        return error.GetProperty("message").GetString()!;
    }

    [Fact]
    public async Task Without_keys_a_foreign_host_or_origin_is_refused_and_loopback_is_served()
    {
        var (app, http) = await StartAsync();
        await using var _ = app;
        using var __ = http;

        using var rebound = await http.SendAsync(Models(host: "attacker.example:4000"));
        Assert.StartsWith("Host 'attacker.example:4000' is not a loopback name.", await PermissionErrorAsync(rebound), StringComparison.Ordinal);

        using var crossSite = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
        {
            Content = new StringContent("""{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}""", System.Text.Encoding.UTF8, "text/plain"),
        };
        crossSite.Headers.Add("Origin", "http://attacker.example");
        using var refused = await http.SendAsync(crossSite);
        Assert.StartsWith("Cross-site request refused: origin 'http://attacker.example' is not loopback.", await PermissionErrorAsync(refused), StringComparison.Ordinal);

        using var nullOrigin = await http.SendAsync(Models(origin: "null"));
        Assert.Equal(HttpStatusCode.Forbidden, nullOrigin.StatusCode);

        using var local = await http.SendAsync(Models(host: "localhost:4000", origin: "http://localhost:5173"));
        using var plain = await http.SendAsync(Models());
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (local.StatusCode, plain.StatusCode));
    }

    [Fact]
    public async Task An_allowed_origin_gets_cors_headers_and_its_preflight_is_answered()
    {
        var (app, http) = await StartAsync("--Switchboard:Cors:AllowedOrigins:0=https://chat.example.com");
        await using var _ = app;
        using var __ = http;

        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/v1/messages");
        preflight.Headers.Add("Origin", "https://chat.example.com");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type,x-api-key,anthropic-version");
        using var preflightResponse = await http.SendAsync(preflight);
        using var allowed = await http.SendAsync(Models(origin: "https://chat.example.com"));
        using var other = await http.SendAsync(Models(origin: "https://other.example.com"));

        Assert.Equal(HttpStatusCode.NoContent, preflightResponse.StatusCode);
        Assert.Equal("https://chat.example.com", preflightResponse.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal("https://chat.example.com", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
    }

    [Fact]
    public async Task With_api_keys_the_guard_is_off()
    {
        var (app, http) = await StartAsync("--api-key", "sk-test", "--host", "127.0.0.1");
        await using var _ = app;
        using var __ = http;
        using var request = Models(host: "gateway.example.com", origin: "http://attacker.example");
        request.Headers.Add("x-api-key", "sk-test");

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
