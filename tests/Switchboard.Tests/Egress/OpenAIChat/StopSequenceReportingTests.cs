using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Canonical;
using Switchboard.Configuration;
using Switchboard.Egress;
using Switchboard.Egress.OpenAIChat;
using Switchboard.Routing;
using static Switchboard.Tests.Egress.OpenAIChat.TestRoutes;

namespace Switchboard.Tests.Egress.OpenAIChat;

/// <summary>
/// <c>stop_sequence</c> is reported whenever a stop sequence ended the turn: from vLLM's <c>stop_reason</c>, and for
/// servers that only say <c>"stop"</c> (llama.cpp) by finding the sequence in the answer.
/// </summary>
public sealed class StopSequenceReportingTests
{
    private const string Chat = "POST /v1/chat/completions";
    private const string Answer = "1, 2, 3 END 4, 5";

    private readonly ManualTimeProvider _time = new();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_llama_cpp_server_is_learned_and_then_matched_by_switchboard(bool stream)
    {
        await using var server = await LlamaCppLike();
        var route = RouteTo(server);

        // The first answer shows the server does not say which stop matched; it was sent the stop list.
        var first = await SendAndReadAsync(Request(stream), route);
        using (var sent = JsonDocument.Parse(server.LastBody(Chat)))
        {
            Assert.True(sent.RootElement.TryGetProperty("stop", out _));
        }

        var second = await SendAndReadAsync(Request(stream), route);

        Assert.Equal(StopReason.EndTurn, first.StopReason); // indistinguishable from the model ending its turn
        using var secondSent = JsonDocument.Parse(server.LastBody(Chat));
        Assert.False(secondSent.RootElement.TryGetProperty("stop", out _));
        Assert.True(secondSent.RootElement.GetProperty("stream").GetBoolean());
        Assert.Equal(StopReason.StopSequence, second.StopReason);
        Assert.Equal("END", second.StopSequence);
        Assert.Equal("1, 2, 3 ", Assert.IsType<TextBlock>(Assert.Single(second.Content)).Text);
    }

    [Fact]
    public async Task A_llama_cpp_answer_without_a_stop_sequence_in_it_ends_the_turn_whole()
    {
        await using var server = await LlamaCppLike(text: "no stop here, just E");
        var route = RouteTo(server);
        await SendAndReadAsync(Request(stream: true), route);

        var second = await SendAndReadAsync(Request(stream: true), route);

        Assert.Equal(StopReason.EndTurn, second.StopReason);
        Assert.Null(second.StopSequence);
        Assert.Equal("no stop here, just E", Assert.IsType<TextBlock>(Assert.Single(second.Content)).Text);
    }

    [Fact]
    public async Task A_vllm_server_keeps_getting_the_stop_list_and_its_stop_reason_is_reported()
    {
        await using var server = await LoopbackServer.StartAsync(app =>
            app.MapPost("/v1/chat/completions", context => LoopbackServer.Json(context, """
                {"choices":[{"index":0,"message":{"role":"assistant","content":"1, 2, 3 "},"finish_reason":"stop","stop_reason":"END"}]}
                """)));
        var route = RouteTo(server);

        await SendAndReadAsync(Request(stream: false), route);
        var second = await SendAndReadAsync(Request(stream: false), route);

        using var sent = JsonDocument.Parse(server.LastBody(Chat));
        Assert.Equal("END", sent.RootElement.GetProperty("stop")[0].GetString());
        Assert.Equal(StopReason.StopSequence, second.StopReason);
        Assert.Equal("END", second.StopSequence);
    }

    /// <summary>
    /// Like llama-server: a <c>stop</c> list ends generation at the match and strips it, with only
    /// <c>finish_reason: "stop"</c>; without one it sends the whole text. Answers stream when asked to.
    /// </summary>
    private static Task<LoopbackServer> LlamaCppLike(string text = Answer) =>
        LoopbackServer.StartAsync(app =>
            app.MapPost("/v1/chat/completions", async context =>
            {
                using var body = await JsonDocument.ParseAsync(context.Request.Body);
                var content = text;
                if (body.RootElement.TryGetProperty("stop", out var stops))
                {
                    foreach (var stop in stops.EnumerateArray())
                    {
                        var at = content.IndexOf(stop.GetString()!, StringComparison.Ordinal);
                        content = at >= 0 ? content[..at] : content;
                    }
                }

                var streamed = body.RootElement.TryGetProperty("stream", out var s) && s.GetBoolean();
                if (!streamed)
                {
                    await LoopbackServer.Json(context, $$"""
                        {"choices":[{"index":0,"message":{"role":"assistant","content":{{JsonSerializer.Serialize(content)}}},"finish_reason":"stop"}]}
                        """);
                    return;
                }

                context.Response.ContentType = "text/event-stream";
                for (var i = 0; i < content.Length; i += 3)
                {
                    var piece = JsonSerializer.Serialize(content.Substring(i, Math.Min(3, content.Length - i)));
                    await context.Response.WriteAsync($$"""data: {"choices":[{"index":0,"delta":{"content":{{piece}}},"finish_reason":null}]}""" + "\n\n");
                }

                await context.Response.WriteAsync("""data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}""" + "\n\n");
                await context.Response.WriteAsync("data: [DONE]\n\n");
            }));

    private static MessageRequest Request(bool stream) => new()
    {
        Model = "claude-test",
        MaxTokens = 100,
        Messages = [User(Text("Count"))],
        StopSequences = ["END", "STOP"],
        Stream = stream,
    };

    private static ModelRoute RouteTo(LoopbackServer server)
    {
        var options = new UpstreamOptions { BaseUrl = server.Url + "/v1" };
        return Route(upstream: options, http: UpstreamHttpClientFactory.CreateHttpClient(options));
    }

    private async Task<MessageResponse> SendAndReadAsync(MessageRequest request, ModelRoute route)
    {
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
