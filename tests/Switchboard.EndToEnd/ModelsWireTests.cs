using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using Anthropic.Exceptions;
using Anthropic.Models.Models;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.FakeUpstream;

namespace Switchboard.EndToEnd;

/// <summary>
/// <c>/v1/models</c> as both SDK families read it: every field of the one body, the limits from configuration and
/// from the upstream's report, the error dialect chosen by the request's headers, and a slow upstream.
/// </summary>
public sealed class ModelsWireTests
{
    /// <summary>
    /// "configured" sets its limits; "reported" sets none, so its window is what the fake reports
    /// (<c>max_model_len</c> 32768) and it has no output limit.
    /// </summary>
    private static Task<SwitchboardHost> StartAsync(string? upstreamUrl = null) => SwitchboardHost.StartAsync(
        new FakeServerOptions { Models = ["configured", "reported"], MaxModelLen = 32768 },
        [
            "--Switchboard:Models:0:Name=configured", "--Switchboard:Models:0:DisplayName=Configured Coder",
            "--Switchboard:Models:0:ContextLength=131072", "--Switchboard:Models:0:MaxOutputTokens=8192",
            "--Switchboard:Models:0:Aliases:0=claude-*",
            "--Switchboard:Models:1:Name=reported",
        ],
        quickstartModel: false,
        upstreamUrl: upstreamUrl);

    /// <summary>A client as the OpenAI SDKs are: a bearer key, no <c>anthropic-version</c>.</summary>
    private static HttpClient OpenAIStyle(SwitchboardHost host)
    {
        var client = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SwitchboardHost.ApiKey);
        return client;
    }

    [Fact]
    public async Task The_list_carries_every_openai_and_anthropic_field()
    {
        await using var host = await StartAsync();
        using var openAI = OpenAIStyle(host);

        using var response = await openAI.GetAsync("/v1/models");
        var text = await response.Content.ReadAsStringAsync();
        using var body = JsonDocument.Parse(text);
        var root = body.RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(
            ["object", "data", "has_more", "first_id", "last_id"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("list", root.GetProperty("object").GetString());
        Assert.False(root.GetProperty("has_more").GetBoolean());
        Assert.Equal(("configured", "reported"), (root.GetProperty("first_id").GetString(), root.GetProperty("last_id").GetString()));

        var configured = root.GetProperty("data")[0];
        Assert.Equal(
            ["id", "object", "created", "owned_by", "type", "display_name", "created_at", "max_input_tokens", "max_tokens", "switchboard"],
            configured.EnumerateObject().Select(p => p.Name));
        Assert.Equal("configured", configured.GetProperty("id").GetString());
        Assert.Equal("model", configured.GetProperty("object").GetString());
        Assert.Equal(0, configured.GetProperty("created").GetInt64());
        Assert.Equal("switchboard", configured.GetProperty("owned_by").GetString());
        Assert.Equal("model", configured.GetProperty("type").GetString());
        Assert.Equal("Configured Coder", configured.GetProperty("display_name").GetString());
        Assert.Equal("1970-01-01T00:00:00Z", configured.GetProperty("created_at").GetString());
        Assert.Equal(131072, configured.GetProperty("max_input_tokens").GetInt32());
        Assert.Equal(8192, configured.GetProperty("max_tokens").GetInt32());
        Assert.Equal("unknown", configured.GetProperty("switchboard").GetProperty("thinking").GetString());

        var reported = root.GetProperty("data")[1];
        Assert.Equal(
            ["id", "object", "created", "owned_by", "type", "display_name", "created_at", "max_input_tokens", "switchboard"],
            reported.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("reported", "reported"), (reported.GetProperty("id").GetString(), reported.GetProperty("display_name").GetString()));
        Assert.Equal(32768, reported.GetProperty("max_input_tokens").GetInt32());
        Assert.DoesNotContain("127.0.0.1", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_anthropic_sdk_reads_the_list_and_the_limits()
    {
        await using var host = await StartAsync();

        var page = await host.Client.Models.List(new ModelListParams());

        Assert.Equal(["configured", "reported"], page.Items.Select(m => m.ID));
        Assert.False(page.HasNext());
        var configured = page.Items[0];
        Assert.Equal(("Configured Coder", DateTimeOffset.UnixEpoch), (configured.DisplayName, configured.CreatedAt));
        Assert.Equal((131072L, 8192L), (configured.MaxInputTokens, configured.MaxTokens));
        Assert.Equal(32768L, page.Items[1].MaxInputTokens);
        Assert.Null(page.Items[1].MaxTokens);
    }

    [Fact]
    public async Task Retrieve_gives_the_same_fields_for_an_alias_under_its_own_name()
    {
        await using var host = await StartAsync();

        var model = await host.Client.Models.Retrieve("claude-sonnet-4-5");
        using var raw = JsonDocument.Parse(await host.Http.GetStringAsync("/v1/models/claude-sonnet-4-5"));

        Assert.Equal(("claude-sonnet-4-5", "Configured Coder", 131072L, 8192L), (model.ID, model.DisplayName, model.MaxInputTokens, model.MaxTokens));
        var item = raw.RootElement;
        Assert.Equal(
            ("claude-sonnet-4-5", "model", 0L, "switchboard", "model", "1970-01-01T00:00:00Z"),
            (item.GetProperty("id").GetString(), item.GetProperty("object").GetString(), item.GetProperty("created").GetInt64(),
                item.GetProperty("owned_by").GetString(), item.GetProperty("type").GetString(), item.GetProperty("created_at").GetString()));
    }

    [Fact]
    public async Task Created_does_not_move_across_restarts()
    {
        string first;
        await using (var host = await StartAsync())
        {
            first = await host.Http.GetStringAsync("/v1/models/configured");
        }

        await Task.Delay(1100);
        await using (var host = await StartAsync())
        {
            Assert.Equal(first, await host.Http.GetStringAsync("/v1/models/configured"));
        }
    }

    [Fact]
    public async Task An_unknown_model_is_an_openai_404_for_a_client_without_anthropic_version()
    {
        await using var host = await StartAsync();
        using var openAI = OpenAIStyle(host);

        using var response = await openAI.GetAsync("/v1/models/delta");
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(["message", "type", "param", "code"], error.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("invalid_request_error", "model_not_found"), (error.GetProperty("type").GetString(), error.GetProperty("code").GetString()));
        Assert.Contains("delta", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("req_", response.Headers.GetValues("request-id").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_model_is_an_anthropic_not_found_error_for_a_client_with_anthropic_version()
    {
        await using var host = await StartAsync();

        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models/delta");
        request.Headers.Add("anthropic-version", "2023-06-01");
        using var response = await host.Http.SendAsync(request);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("error", body.GetProperty("type").GetString());
        Assert.Equal("not_found_error", body.GetProperty("error").GetProperty("type").GetString());
        var sdk = await Assert.ThrowsAsync<AnthropicNotFoundException>(() => host.Client.Models.Retrieve("delta"));
        Assert.Equal("not_found_error", sdk.Type?.Raw());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_bad_limit_is_a_400_in_the_dialect_of_the_headers(bool anthropic)
    {
        await using var host = await StartAsync();
        using var client = OpenAIStyle(host);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models?limit=0");
        if (anthropic)
        {
            request.Headers.Add("anthropic-version", "2023-06-01");
        }

        using var response = await client.SendAsync(request);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request_error", body.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(anthropic, body.TryGetProperty("type", out _));
        Assert.Equal(anthropic ? null : "limit", body.GetProperty("error").TryGetProperty("param", out var param) ? param.GetString() : null);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_missing_key_is_a_401_in_the_dialect_of_the_headers(bool anthropic)
    {
        await using var host = await StartAsync();
        using var anonymous = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };

        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        if (anthropic)
        {
            request.Headers.Add("anthropic-version", "2023-06-01");
        }

        using var response = await anonymous.SendAsync(request);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(
            anthropic ? "authentication_error" : "invalid_request_error",
            body.GetProperty("error").GetProperty("type").GetString());
        if (!anthropic)
        {
            Assert.Equal("invalid_api_key", body.GetProperty("error").GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task A_silent_upstream_delays_the_list_briefly_and_leaves_its_window_out()
    {
        // Accepts connections and never answers: the egress's model lookup hangs until its own time limit.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var accepted = new System.Collections.Concurrent.ConcurrentQueue<Socket>();
        _ = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    accepted.Enqueue(await silent.AcceptSocketAsync());
                }
            }
            catch (Exception stopped) when (stopped is SocketException or ObjectDisposedException)
            {
                // The listener was stopped at the end of the test.
            }
        });
        await using var host = await StartAsync($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/v1");

        var clock = Stopwatch.StartNew();
        using var openAI = OpenAIStyle(host);
        using var response = await openAI.GetAsync("/v1/models");
        var elapsed = clock.Elapsed;
        var data = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("data");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.InRange(elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(2.5));
        Assert.Equal(131072, data[0].GetProperty("max_input_tokens").GetInt32());
        Assert.False(data[1].TryGetProperty("max_input_tokens", out _));
        Assert.Equal("reported", data[1].GetProperty("id").GetString());

        // The lookup still runs (and is shared): a second listing waits no longer than the first.
        clock.Restart();
        using var again = await openAI.GetAsync("/v1/models");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(2.5));
        silent.Stop();
        foreach (var socket in accepted)
        {
            socket.Dispose();
        }
    }
}
