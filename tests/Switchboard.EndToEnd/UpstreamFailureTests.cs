using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.FakeUpstream;

namespace Switchboard.EndToEnd;

/// <summary>
/// Upstream faults reach the client with the right status and retry advice, naming the upstream but never its URL,
/// its body or its credentials; the log gets one warning line and no stack trace.
/// </summary>
public sealed class UpstreamFailureTests
{
    private const string Body = """{"model":"fake-model","max_tokens":16,"messages":[{"role":"user","content":"Hi"}]}""";

    private static async Task<(HttpResponseMessage Response, JsonElement Error, string Raw)> PostAsync(SwitchboardHost host, bool stream = false)
    {
        var body = stream ? Body.Replace("\"max_tokens\":16", "\"max_tokens\":16,\"stream\":true", StringComparison.Ordinal) : Body;
        var response = await host.Http.PostAsync("/v1/messages", RawRequests.Json(body));
        var raw = await response.Content.ReadAsStringAsync();
        return (response, JsonDocument.Parse(raw).RootElement.GetProperty("error"), raw);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_refused_connection_is_a_502_that_says_not_to_retry(bool stream)
    {
        var logs = new CapturedLogs();
        var port = ClosedPort();
        await using var host = await SwitchboardHost.StartAsync(
            upstreamUrl: $"http://127.0.0.1:{port}/v1",
            configure: builder => builder.Services.AddSingleton<ILoggerProvider>(logs));

        var (response, error, raw) = await PostAsync(host, stream);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("false", response.Headers.GetValues("x-should-retry").Single());
        Assert.Equal("api_error", error.GetProperty("type").GetString());
        Assert.Equal("Upstream 'default' is unreachable: connection refused", error.GetProperty("message").GetString());
        Assert.DoesNotContain(port.ToString(System.Globalization.CultureInfo.InvariantCulture), raw, StringComparison.Ordinal);
        var warning = Assert.Single(logs.Lines, l => l.Category.Contains("OpenAiChatUpstream", StringComparison.Ordinal) && l.Level == LogLevel.Warning);
        Assert.Contains("default", warning.Message, StringComparison.Ordinal);
        Assert.Contains("refused", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Lines, l => l.Message.Contains("   at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Image_input_on_a_text_only_server_is_a_400_with_the_servers_reason()
    {
        await using var host = await SwitchboardHost.StartAsync();
        host.Upstream.Enqueue(new ScriptedReply
        {
            Error = new ScriptedError
            {
                Status = 500,
                Body = """{"error":{"code":500,"message":"image input is not supported - hint: if this is unexpected, you may need to provide the mmproj","type":"server_error"}}""",
            },
        });

        var (response, error, _) = await PostAsync(host);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("false", response.Headers.GetValues("x-should-retry").Single());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(
            "Upstream 'default' cannot serve this request (HTTP 500): image input is not supported - hint: if this is unexpected, you may need to provide the mmproj",
            error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task An_upstream_401_echoing_its_key_is_a_500_without_the_body()
    {
        await using var host = await SwitchboardHost.StartAsync(args: ["--Switchboard:Upstreams:default:ApiKey=sk-upstream-secret-0123456789"]);
        host.Upstream.Enqueue(new ScriptedReply
        {
            Error = new ScriptedError { Status = 401, Body = """{"error":{"message":"Incorrect API key provided: sk-upstream-secret-0123456789","type":"invalid_request_error"}}""" },
        });

        var (response, error, raw) = await PostAsync(host);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("api_error", error.GetProperty("type").GetString());
        Assert.Equal("Upstream 'default' refused Switchboard's credentials (HTTP 401)", error.GetProperty("message").GetString());
        Assert.DoesNotContain("sk-upstream", raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_traceback_body_is_logged_bounded_at_debug_only_and_never_relayed()
    {
        var logs = new CapturedLogs();
        await using var host = await SwitchboardHost.StartAsync(
            args: ["--Logging:LogLevel:Switchboard.Egress=Debug"],
            configure: builder => builder.Services.AddSingleton<ILoggerProvider>(logs));
        var traceback = "Traceback (most recent call last):\n  File \"/opt/vllm/entrypoints/api_server.py\", line 88, in generate\n"
            + "    token = 'Bearer sk-internal-abcdef0123456789'\nRuntimeError: backend 10.0.0.12:9000 died\n" + new string('#', 20_000);
        host.Upstream.Enqueue(new ScriptedReply { Error = new ScriptedError { Status = 500, Body = traceback } });

        var (response, error, raw) = await PostAsync(host);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("Upstream 'default' failed (HTTP 500)", error.GetProperty("message").GetString());
        Assert.DoesNotContain("10.0.0.12", raw, StringComparison.Ordinal);

        // The warning says what the client was told; error bodies can quote the prompt, so they go to Debug only.
        var warning = Assert.Single(logs.Lines, l => l.Message.Contains("answered with status 500", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("Upstream 'default' failed (HTTP 500)", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("api_server.py", warning.Message, StringComparison.Ordinal);
        var body = Assert.Single(logs.Lines, l => l.Message.Contains("error body", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Debug, body.Level);
        Assert.Contains("api_server.py", body.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-internal", body.Message, StringComparison.Ordinal);
        Assert.True(body.Message.Length < 3000, $"{body.Message.Length} characters");
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
