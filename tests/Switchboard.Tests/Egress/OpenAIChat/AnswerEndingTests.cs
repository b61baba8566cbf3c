using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Canonical;
using Switchboard.Configuration;
using Switchboard.Egress;
using Switchboard.Egress.OpenAIChat;
using static Switchboard.Tests.Egress.OpenAIChat.TestRoutes;

namespace Switchboard.Tests.Egress.OpenAIChat;

/// <summary>Answers that end badly: garbage, no finish reason, a body that just stops. None is a silent success.</summary>
public sealed class AnswerEndingTests
{
    private const string Role = """data: {"choices":[{"index":0,"delta":{"role":"assistant"}}]}""" + "\n\n";
    private const string Hello = """data: {"choices":[{"index":0,"delta":{"content":"Hello"}}]}""" + "\n\n";
    private const string Finish = """data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}""" + "\n\n";
    private const string Done = "data: [DONE]\n\n";

    private readonly ManualTimeProvider _time = new();

    [Theory]
    [InlineData("data: not json at all\n\ndata: {\"broken\": \n\n" + Done)]
    [InlineData("just some text\nwith lines\n")]
    [InlineData("")]
    [InlineData("data: {\"id\":\"x\",\"object\":\"something.else\"}\n\n" + Done)]
    [InlineData(Role + Done)]
    [InlineData(Role)]
    public async Task A_stream_with_no_answer_in_it_is_an_error(string body)
    {
        await using var server = await Serve("text/event-stream", body);

        var error = await Assert.ThrowsAsync<ApiException>(() => SendAndReadAsync(stream: true, server));

        Assert.Equal(ApiErrorKind.BadGateway, error.Error.Kind);
        Assert.Contains("malformed event stream", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stream_that_stops_after_content_without_finish_reason_or_done_is_cut_short()
    {
        await using var server = await Serve("text/event-stream", Role + Hello);

        var error = await Assert.ThrowsAsync<ApiException>(() => SendAndReadAsync(stream: true, server));

        Assert.Equal(ApiErrorKind.BadGateway, error.Error.Kind);
        Assert.Contains("before the response was complete", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stream_with_content_and_done_but_no_finish_reason_ends_the_turn()
    {
        await using var server = await Serve("text/event-stream", Role + Hello + Done);

        var response = await SendAndReadAsync(stream: true, server);

        Assert.Equal("Hello", Assert.IsType<TextBlock>(Assert.Single(response.Content)).Text);
        Assert.Equal(StopReason.EndTurn, response.StopReason);
    }

    [Fact]
    public async Task A_stream_with_a_finish_reason_but_no_done_is_complete()
    {
        await using var server = await Serve("text/event-stream", Role + Hello + Finish);

        var response = await SendAndReadAsync(stream: true, server);

        Assert.Equal("Hello", Assert.IsType<TextBlock>(Assert.Single(response.Content)).Text);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"status":"ok","result":"Hello"}""")]
    [InlineData("""{"choices":[]}""")]
    [InlineData("""{"choices":[{"index":0}]}""")]
    public async Task A_body_that_is_not_a_chat_completion_is_an_error(string body)
    {
        await using var server = await Serve("application/json", body);

        var error = await Assert.ThrowsAsync<ApiException>(() => SendAndReadAsync(stream: false, server));

        Assert.Equal(ApiErrorKind.BadGateway, error.Error.Kind);
        Assert.Contains("not a ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_completion_without_finish_reason_ends_the_turn()
    {
        await using var server = await Serve("application/json", """{"choices":[{"index":0,"message":{"role":"assistant","content":"Hi"}}]}""");

        var response = await SendAndReadAsync(stream: false, server);

        Assert.Equal("Hi", Assert.IsType<TextBlock>(Assert.Single(response.Content)).Text);
        Assert.Equal(StopReason.EndTurn, response.StopReason);
    }

    [Theory]
    [InlineData(false, false, false, false, ChatAnswerEnding.NoAnswer)]
    [InlineData(true, false, false, true, ChatAnswerEnding.NoAnswer)]
    [InlineData(true, false, true, false, ChatAnswerEnding.Complete)]
    [InlineData(true, true, true, true, ChatAnswerEnding.Complete)]
    [InlineData(true, true, false, true, ChatAnswerEnding.MissingFinishReason)]
    [InlineData(true, true, false, false, ChatAnswerEnding.CutShort)]
    public void Endings_are_judged_by_what_arrived(bool anyChunk, bool anyOutput, bool finished, bool terminated, ChatAnswerEnding expected) =>
        Assert.Equal(expected, new ChatAnswerShape(anyChunk, anyOutput, finished, terminated).Ending);

    private static Task<LoopbackServer> Serve(string contentType, string body) =>
        LoopbackServer.StartAsync(app =>
            app.MapPost("/v1/chat/completions", async context =>
            {
                context.Response.ContentType = contentType;
                await context.Response.WriteAsync(body);
            }));

    private async Task<MessageResponse> SendAndReadAsync(bool stream, LoopbackServer server)
    {
        var options = new UpstreamOptions { BaseUrl = server.Url + "/v1" };
        var route = Route(upstream: options, http: UpstreamHttpClientFactory.CreateHttpClient(options));
        var request = new MessageRequest { Model = "claude-test", MaxTokens = 100, Messages = [User(Text("hi"))], Stream = stream };
        var upstream = new OpenAiChatUpstream(_time, new ServerTokenizer(_time, NullLogger<ServerTokenizer>.Instance), new ServerModelInfo(_time, NullLogger<ServerModelInfo>.Instance), NullLogger<OpenAiChatUpstream>.Instance);
        var accumulator = new MessageAccumulator();
        var assembler = new StreamAssembler(accumulator);
        assembler.Start("msg_1", request.Model, default);
        using (var response = await upstream.SendAsync(request, route, CancellationToken.None))
        {
            await response.ReadAsync(assembler, null, CancellationToken.None);
        }

        assembler.Complete();
        return accumulator.ToResponse();
    }
}
