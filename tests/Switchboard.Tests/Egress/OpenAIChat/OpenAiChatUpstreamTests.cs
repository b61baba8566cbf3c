using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Canonical;
using Switchboard.Ingress.Anthropic;
using Switchboard.Configuration;
using Switchboard.Egress;
using Switchboard.Egress.OpenAIChat;
using Switchboard.Routing;
using static Switchboard.Tests.Egress.OpenAIChat.TestRoutes;

namespace Switchboard.Tests.Egress.OpenAIChat;

public sealed class OpenAiChatUpstreamTests
{
    private const string Completion = """
        {"id":"chatcmpl-1","object":"chat.completion","model":"upstream-model",
         "choices":[{"index":0,"message":{"role":"assistant","content":"Hello there"},"finish_reason":"stop"}],
         "usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}
        """;

    private readonly ManualTimeProvider _time = new();

    [Fact]
    public async Task Posts_the_chat_body_with_the_key_and_reads_the_completion()
    {
        await using var server = await LoopbackServer.StartAsync(app =>
            app.MapPost("/v1/chat/completions", context => LoopbackServer.Json(context, Completion)));
        var route = RouteTo(server, apiKey: "sk-upstream");

        var response = await SendAndReadAsync(Request(User(Text("hi"))), route);

        var (_, body, authorization) = Assert.Single(server.Received);
        Assert.Equal("Bearer sk-upstream", authorization);
        using var sent = JsonDocument.Parse(body);
        Assert.Equal("upstream-model", sent.RootElement.GetProperty("model").GetString());
        Assert.Equal("hi", sent.RootElement.GetProperty("messages")[0].GetProperty("content").GetString());
        Assert.False(sent.RootElement.TryGetProperty("stream", out _));
        Assert.Equal("Hello there", Assert.IsType<TextBlock>(Assert.Single(response.Content)).Text);
    }

    [Fact]
    public async Task Sends_no_authorization_without_a_key()
    {
        await using var server = await LoopbackServer.StartAsync(app =>
            app.MapPost("/v1/chat/completions", context => LoopbackServer.Json(context, Completion)));

        await SendAndReadAsync(Request(User(Text("hi"))), RouteTo(server, apiKey: null));

        Assert.Null(Assert.Single(server.Received).Authorization);
    }

    [Fact]
    public async Task Streams_server_sent_events_into_the_assembler()
    {
        await using var server = await LoopbackServer.StartAsync(app =>
            app.MapPost("/v1/chat/completions", async context =>
            {
                context.Response.ContentType = "text/event-stream";
                await context.Response.WriteAsync("""data: {"choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"}}]}""" + "\n\n");
                await context.Response.WriteAsync("""data: {"choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":"stop"}]}""" + "\n\n");
                await context.Response.WriteAsync("data: [DONE]\n\n");
            }));

        var response = await SendAndReadAsync(StreamingRequest(), RouteTo(server));

        using var sent = JsonDocument.Parse(server.LastBody("POST /v1/chat/completions"));
        Assert.True(sent.RootElement.GetProperty("stream").GetBoolean());
        Assert.Equal("Hello", Assert.IsType<TextBlock>(Assert.Single(response.Content)).Text);
    }

    [Fact]
    public async Task The_request_body_goes_back_once_the_server_has_it_while_the_answer_still_streams()
    {
        var finish = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await LoopbackServer.StartAsync(app =>
            app.MapPost("/v1/chat/completions", async context =>
            {
                context.Response.ContentType = "text/event-stream";
                await context.Response.WriteAsync("""data: {"choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"}}]}""" + "\n\n");
                await context.Response.Body.FlushAsync();
                await finish.Task;
                await context.Response.WriteAsync("""data: {"choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":"stop"}]}""" + "\n\ndata: [DONE]\n\n");
            }));
        var request = StreamingRequest();
        var accumulator = new MessageAccumulator();
        var assembler = new StreamAssembler(accumulator);
        assembler.Start("msg_1", request.Model, default);

        using var response = Assert.IsType<OpenAiChatResponse>(await NewUpstream().SendAsync(request, RouteTo(server), CancellationToken.None));
        var reading = response.ReadAsync(assembler, null, CancellationToken.None);
        var releasedMidStream = response.RequestBodyReleased;
        finish.SetResult();
        await reading;
        assembler.Complete();

        Assert.True(releasedMidStream);
        Assert.Equal("Hello", Assert.IsType<TextBlock>(Assert.Single(accumulator.ToResponse().Content)).Text);
    }

    [Fact]
    public async Task A_json_answer_to_a_streaming_request_is_read_as_one_completion()
    {
        await using var server = await LoopbackServer.StartAsync(app =>
            app.MapPost("/v1/chat/completions", context => LoopbackServer.Json(context, Completion)));

        var response = await SendAndReadAsync(StreamingRequest(), RouteTo(server));

        Assert.Equal("Hello there", Assert.IsType<TextBlock>(Assert.Single(response.Content)).Text);
    }

    [Theory]
    [InlineData(false, "text/html")]
    [InlineData(true, "text/html")]
    [InlineData(false, "text/plain")]
    public async Task A_page_instead_of_a_completion_is_reported_as_such(bool stream, string contentType)
    {
        await using var server = await LoopbackServer.StartAsync(app =>
            app.MapPost("/v1/chat/completions", async context =>
            {
                context.Response.ContentType = contentType;
                await context.Response.WriteAsync("<html><body>Welcome to nginx!</body></html>");
            }));
        var request = stream ? StreamingRequest() : Request(User(Text("hi")));

        var error = await Assert.ThrowsAsync<ApiException>(() => SendAndReadAsync(request, RouteTo(server)));

        Assert.Equal((ApiErrorKind.BadGateway, false), (error.Error.Kind, error.Error.ShouldRetry));
        Assert.Equal("Upstream 'local' returned a response that is not a chat completion", error.Message);
    }

    [Fact]
    public async Task An_error_status_is_translated_with_its_retry_after()
    {
        await using var server = await LoopbackServer.StartAsync(app =>
            app.MapPost("/v1/chat/completions", context =>
            {
                context.Response.Headers.RetryAfter = "7";
                return LoopbackServer.Json(context, """{"error":{"message":"slow down","type":"rate_limit","code":429}}""", 429);
            }));

        var error = await Assert.ThrowsAsync<ApiException>(() => SendAndReadAsync(Request(User(Text("hi"))), RouteTo(server)));

        Assert.Equal(ApiErrorKind.RateLimit, error.Error.Kind);
        Assert.Equal(7, error.Error.RetryAfterSeconds);
    }

    [Fact]
    public async Task An_unreachable_upstream_is_named_with_a_short_reason()
    {
        var baseUrl = $"http://127.0.0.1:{LoopbackServer.ClosedPort()}/v1";
        var route = Route(upstream: new UpstreamOptions { BaseUrl = baseUrl }, http: new HttpClient());

        var error = await Assert.ThrowsAsync<ApiException>(() => SendAndReadAsync(Request(User(Text("hi"))), route));

        Assert.Equal((ApiErrorKind.BadGateway, false), (error.Error.Kind, error.Error.ShouldRetry));
        Assert.Equal("Upstream 'local' is unreachable: connection refused", error.Message);
    }

    [Fact]
    public async Task An_upstream_that_drops_the_connection_before_answering_is_a_retryable_reset()
    {
        await using var server = await LoopbackServer.StartAsync(app =>
            app.MapPost("/v1/chat/completions", context =>
            {
                context.Abort();
                return Task.CompletedTask;
            }));

        var error = await Assert.ThrowsAsync<ApiException>(() => SendAndReadAsync(Request(User(Text("hi"))), RouteTo(server)));

        Assert.Equal((ApiErrorKind.BadGateway, true), (error.Error.Kind, error.Error.ShouldRetry));
        Assert.StartsWith("Upstream 'local' closed the connection before answering", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_upstream_that_does_not_answer_in_time_is_a_timeout()
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await LoopbackServer.StartAsync(app =>
            app.MapPost("/v1/chat/completions", async context =>
            {
                arrived.TrySetResult();
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }));
        var upstream = new UpstreamOptions { BaseUrl = server.Url + "/v1", TimeoutSeconds = 600 };
        var route = Route(upstream: upstream, http: new HttpClient { Timeout = Timeout.InfiniteTimeSpan });

        var sending = SendAndReadAsync(Request(User(Text("hi"))), route);
        await arrived.Task;
        _time.Advance(TimeSpan.FromSeconds(601));
        var error = await Assert.ThrowsAsync<ApiException>(() => sending);

        Assert.Equal((ApiErrorKind.Timeout, false), (error.Error.Kind, error.Error.ShouldRetry));
        Assert.Equal("Upstream 'local' did not answer within 600 s", error.Message);
    }

    [Fact]
    public async Task A_stream_that_stalls_past_the_limit_is_a_timeout()
    {
        await using var server = await LoopbackServer.StartAsync(app =>
            app.MapPost("/v1/chat/completions", async context =>
            {
                context.Response.ContentType = "text/event-stream";
                await context.Response.WriteAsync("""data: {"choices":[{"index":0,"delta":{"content":"Hel"}}]}""" + "\n\n");
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }));
        var upstream = new UpstreamOptions { BaseUrl = server.Url + "/v1", TimeoutSeconds = 30 };
        var route = Route(upstream: upstream, http: UpstreamHttpClientFactory.CreateHttpClient(upstream));
        var request = StreamingRequest();
        using var signer = new AnthropicBlockSigner(new MessageAccumulator(), "test-key"u8);
        var assembler = new StreamAssembler(signer);

        using var response = await NewUpstream().SendAsync(request, route, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(31));
        var error = await Assert.ThrowsAsync<ApiException>(() => response.ReadAsync(assembler, null, CancellationToken.None));

        Assert.Equal((ApiErrorKind.Timeout, false), (error.Error.Kind, error.Error.ShouldRetry));
        Assert.Equal("Upstream 'local' did not finish its answer within 30 s", error.Message);
    }

    [Fact]
    public async Task A_connection_dropped_mid_answer_is_reported_as_such()
    {
        var drop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await LoopbackServer.StartAsync(app =>
            app.MapPost("/v1/chat/completions", async context =>
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("""{"id":"chatcmpl-1","choices":[{"index":0,"message":{"role":""");
                await context.Response.Body.FlushAsync();
                await drop.Task;
                context.Abort();
            }));
        var route = RouteTo(server);
        var request = Request(User(Text("hi")));
        using var signer = new AnthropicBlockSigner(new MessageAccumulator(), "test-key"u8);
        var assembler = new StreamAssembler(signer);

        using var response = await NewUpstream().SendAsync(request, route, CancellationToken.None);
        drop.SetResult();
        var error = await Assert.ThrowsAsync<ApiException>(() => response.ReadAsync(assembler, null, CancellationToken.None));

        Assert.Equal((ApiErrorKind.BadGateway, true), (error.Error.Kind, error.Error.ShouldRetry));
        Assert.Equal("Upstream 'local' closed the connection before the response was complete", error.Message);
    }

    [Fact]
    public async Task A_caller_that_cancels_gets_a_cancellation_not_an_error()
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await LoopbackServer.StartAsync(app =>
            app.MapPost("/v1/chat/completions", async context =>
            {
                arrived.TrySetResult();
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }));
        using var caller = new CancellationTokenSource();

        var sending = SendAndReadAsync(Request(User(Text("hi"))), RouteTo(server), caller.Token);
        await arrived.Task;
        await caller.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
    }

    [Fact]
    public void The_pooled_client_has_no_limit_of_its_own_every_limit_is_the_calls()
    {
        // HttpClient's timeout would cover only the wait for headers, the same for streamed and whole answers: the
        // whole-request, headers and idle limits are the call's own (UpstreamDeadline).
        using var client = UpstreamHttpClientFactory.CreateHttpClient(new UpstreamOptions { BaseUrl = "http://x/v1", TimeoutSeconds = 42 });

        Assert.Equal(Timeout.InfiniteTimeSpan, client.Timeout);
    }

    private static MessageRequest StreamingRequest() => new()
    {
        Model = "claude-test",
        MaxTokens = 100,
        Messages = [User(Text("hi"))],
        Stream = true,
    };

    private static ModelRoute RouteTo(LoopbackServer server, string? apiKey = null)
    {
        var options = new UpstreamOptions { BaseUrl = server.Url + "/v1", ApiKey = apiKey };
        return Route(upstream: options, http: UpstreamHttpClientFactory.CreateHttpClient(options));
    }

    private OpenAiChatUpstream NewUpstream() => new(
        _time,
        new ServerTokenizer(_time, NullLogger<ServerTokenizer>.Instance),
        new ServerModelInfo(_time, NullLogger<ServerModelInfo>.Instance),
        NullLogger<OpenAiChatUpstream>.Instance);

    private async Task<MessageResponse> SendAndReadAsync(MessageRequest request, ModelRoute route, CancellationToken cancellationToken = default)
    {
        var upstream = NewUpstream();
        var accumulator = new MessageAccumulator();
        using var signer = new AnthropicBlockSigner(accumulator, "test-key"u8);
        var assembler = new StreamAssembler(signer);
        assembler.Start("msg_1", request.Model, default);
        using (var response = await upstream.SendAsync(request, route, cancellationToken))
        {
            await response.ReadAsync(assembler, null, cancellationToken);
        }

        assembler.Complete();
        return accumulator.ToResponse();
    }
}
