using System.Net;
using System.Text.Json;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.FakeUpstream;

namespace Switchboard.EndToEnd.AnthropicUpstream;

/// <summary>
/// An Anthropic-compatible upstream's errors keep their Messages API type and status; its own words reach the client
/// only as a short sanitised reason, never its body, URLs or keys. A stream that goes wrong midway ends with the
/// door's error event, whatever the way it went wrong.
/// </summary>
public sealed class UpstreamErrorTests
{
    [Theory]
    [InlineData(429, "rate_limit_error", 429, "rate_limit_error")]
    [InlineData(529, "overloaded_error", 529, "overloaded_error")]
    [InlineData(400, "invalid_request_error", 400, "invalid_request_error")]
    [InlineData(404, "not_found_error", 404, "not_found_error")]
    [InlineData(413, "request_too_large", 413, "request_too_large")]
    [InlineData(500, "api_error", 500, "api_error")]
    [InlineData(401, "authentication_error", 500, "api_error")]
    [InlineData(403, "permission_error", 500, "api_error")]
    public async Task Each_error_type_keeps_its_type_and_status(int status, string type, int expectedStatus, string expectedType)
    {
        await using var host = await AnthropicUpstreamHost.StartAsync();
        host.Upstream.EnqueueMessages(new ScriptedMessagesReply
        {
            Error = new ScriptedMessagesError { Status = status, Type = type, Message = "Refused. See https://internal.example/x key=sk-ant-abcdefghijklmnopqrstuvwxyz", RetryAfter = "7" },
        });

        foreach (var stream in new[] { false, true })
        {
            if (stream)
            {
                host.Upstream.EnqueueMessages(new ScriptedMessagesReply
                {
                    Error = new ScriptedMessagesError { Status = status, Type = type, Message = "Refused. See https://internal.example/x key=sk-ant-abcdefghijklmnopqrstuvwxyz", RetryAfter = "7" },
                });
            }

            using var response = await host.Http.SendAsync(AnthropicUpstreamHost.Post("/v1/messages", stream ? RawRequests.StreamingBody : RawRequests.SimpleBody));
            var body = await response.Content.ReadAsStringAsync();

            Assert.Equal(expectedStatus, (int)response.StatusCode);
            var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
            Assert.Equal(expectedType, error.GetProperty("type").GetString());
            Assert.DoesNotContain("internal.example", body, StringComparison.Ordinal);
            Assert.DoesNotContain("sk-ant-", body, StringComparison.Ordinal);
            Assert.DoesNotContain(host.Upstream.BaseUrl, body, StringComparison.Ordinal);
            if (status == 429)
            {
                Assert.Equal("7", response.Headers.GetValues("retry-after").Single());
            }
        }
    }

    [Fact]
    public async Task A_prompt_too_long_keeps_anthropics_wording_which_clients_act_on()
    {
        await using var host = await AnthropicUpstreamHost.StartAsync();
        host.Upstream.EnqueueMessages(ScriptedMessagesReply.Fail(400, "invalid_request_error", "prompt is too long: 210000 tokens > 200000 maximum"));

        using var response = await host.Http.SendAsync(AnthropicUpstreamHost.Post("/v1/messages", RawRequests.SimpleBody));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("prompt is too long: 210000 tokens > 200000 maximum", error.GetProperty("message").GetString());
    }

    public static TheoryData<string, ScriptedMessagesReply, string> MidStreamFailures => new()
    {
        { "error event", new ScriptedMessagesReply { Blocks = [ScriptedBlock.OfText("Partial answer here")], FailAfterEvents = 4, FailWith = new ScriptedMessagesError { Type = "overloaded_error", Message = "Overloaded at http://10.0.0.3:9000" } }, "overloaded_error" },
        { "cut connection", new ScriptedMessagesReply { Blocks = [ScriptedBlock.OfText("Partial answer here")], FailAfterEvents = 4 }, "api_error" },
        { "malformed event", new ScriptedMessagesReply { RawBody = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"x\",\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}}\n\nevent: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\nevent: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hel\n\n" }, "api_error" },
        { "no message_stop", new ScriptedMessagesReply { RawBody = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"x\",\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}}\n\n" }, "overloaded_error" },
        { "not an event stream", new ScriptedMessagesReply { RawBody = "<html>bad gateway</html>" }, "api_error" },
    };

    [Theory]
    [MemberData(nameof(MidStreamFailures))]
    public async Task A_stream_that_goes_wrong_ends_with_the_doors_error_event(string what, ScriptedMessagesReply reply, string expectedType)
    {
        await using var host = await AnthropicUpstreamHost.StartAsync();
        host.Upstream.EnqueueMessages(reply);

        using var response = await host.Http.SendAsync(AnthropicUpstreamHost.Post("/v1/messages", RawRequests.StreamingBody));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        var last = events[^1];
        Assert.True(last.StartsWith("event: error\n", StringComparison.Ordinal), what + ": " + body);
        var error = JsonDocument.Parse(last[(last.IndexOf("data: ", StringComparison.Ordinal) + 6)..]).RootElement.GetProperty("error");
        Assert.Equal(expectedType, error.GetProperty("type").GetString());
        Assert.DoesNotContain("10.0.0.3", body, StringComparison.Ordinal);
        Assert.DoesNotContain("\"text\":\"Hel", body, StringComparison.Ordinal);

        // The server is fine afterwards.
        using var next = await host.Http.SendAsync(AnthropicUpstreamHost.Post("/v1/messages", RawRequests.SimpleBody));
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task A_stream_that_goes_silent_for_longer_than_the_idle_limit_ends_with_the_doors_error_event()
    {
        await using var host = await AnthropicUpstreamHost.StartAsync(args: ["--Switchboard:Upstreams:default:IdleTimeoutSeconds=0.5"]);
        host.Upstream.EnqueueMessages(new ScriptedMessagesReply { Blocks = [ScriptedBlock.OfText("Slow answer")], EventDelayMs = 3000 });

        using var response = await host.Http.SendAsync(AnthropicUpstreamHost.Post("/v1/messages", RawRequests.StreamingBody));
        var body = await response.Content.ReadAsStringAsync();

        // The upstream's headers and message_start came at once, then it fell silent: the idle limit, not the
        // whole-request limit, ends the stream.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("event: error\n", events[^1], StringComparison.Ordinal);
        Assert.DoesNotContain("message_stop", body, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Upstream.BaseUrl, body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"id\":\"msg_1\",\"type\":\"message\",\"content\":[{\"type\":\"text\",\"text\":\"Hel")]
    [InlineData("{\"object\":\"chat.completion\",\"choices\":[]}")]
    [InlineData("<html>502 bad gateway</html>")]
    public async Task A_whole_answer_that_is_not_a_message_is_a_gateway_error(string body)
    {
        await using var host = await AnthropicUpstreamHost.StartAsync();
        host.Upstream.EnqueueMessages(new ScriptedMessagesReply { RawBody = body, RawContentType = "application/json" });

        using var response = await host.Http.SendAsync(AnthropicUpstreamHost.Post("/v1/messages", RawRequests.SimpleBody));
        var answer = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("Upstream 'default' returned a response that is not a message", JsonDocument.Parse(answer).RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task An_unreachable_upstream_is_a_gateway_error_naming_it_and_not_its_address()
    {
        await using var host = await SwitchboardHost.StartAsync(upstreamUrl: "http://127.0.0.1:9/v1", args: ["--Switchboard:Upstreams:default:Api=anthropic"]);

        using var response = await host.Http.SendAsync(AnthropicUpstreamHost.Post("/v1/messages", RawRequests.StreamingBody));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("Upstream 'default'", body, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1:9", body, StringComparison.Ordinal);
    }
}
