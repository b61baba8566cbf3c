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

public sealed class ServerTokenizerTests
{
    private const string Tokenize = "POST /tokenize";
    private const string ApplyTemplate = "POST /apply-template";

    private readonly ManualTimeProvider _time = new();
    private readonly MessageRequest _request = new()
    {
        Model = "claude-test",
        MaxTokens = 100,
        System = "Be brief.",
        Messages = [User(Text("hi"))],
        Tools = [new ToolDefinition("search", null, Schema("""{"type":"object"}"""))],
        Thinking = new ThinkingConfig(ThinkingMode.Disabled, null),
    };

    [Fact]
    public async Task Counts_with_the_vllm_tokenize_endpoint_and_remembers_it()
    {
        await using var server = await LoopbackServer.StartAsync(app =>
        {
            app.MapPost("/tokenize", context => LoopbackServer.Json(context, """{"count":42,"max_model_len":8192,"tokens":[1,2]}"""));
            app.MapPost("/apply-template", context => LoopbackServer.Json(context, """{"prompt":"x"}"""));
        });
        var tokenizer = NewTokenizer();
        var route = RouteTo(server, thinkingSwitch: "enable_thinking");

        var first = await tokenizer.CountAsync(_request, route, CancellationToken.None);
        var second = await tokenizer.CountAsync(_request, route, CancellationToken.None);

        Assert.Equal(42, first);
        Assert.Equal(42, second);
        Assert.Equal(2, server.Count(Tokenize));
        Assert.Equal(0, server.Count(ApplyTemplate));
        using var sent = JsonDocument.Parse(server.LastBody(Tokenize));
        Assert.Equal("upstream-model", sent.RootElement.GetProperty("model").GetString());
        Assert.Equal("system", sent.RootElement.GetProperty("messages")[0].GetProperty("role").GetString());
        Assert.Equal("hi", sent.RootElement.GetProperty("messages")[1].GetProperty("content").GetString());
        Assert.Equal("search", sent.RootElement.GetProperty("tools")[0].GetProperty("function").GetProperty("name").GetString());
        Assert.False(sent.RootElement.GetProperty("chat_template_kwargs").GetProperty("enable_thinking").GetBoolean());
    }

    [Fact]
    public async Task Counts_with_llama_cpp_apply_template_then_tokenize_and_probes_only_once()
    {
        const string prompt = "<|im_start|>user\\nhi \\\"there\\\"<|im_end|>";
        await using var server = await LoopbackServer.StartAsync(app =>
        {
            app.MapPost("/apply-template", context => LoopbackServer.Json(context, $$"""{"prompt":"{{prompt}}"}"""));

            // llama.cpp answers a request without "content" with an empty token list.
            app.MapPost("/tokenize", async context =>
            {
                using var body = await JsonDocument.ParseAsync(context.Request.Body);
                var tokens = body.RootElement.TryGetProperty("content", out _) ? "[11,12,13,{\"id\":14,\"piece\":\"x\"}]" : "[]";
                await LoopbackServer.Json(context, $$"""{"tokens":{{tokens}}}""");
            });
        });
        var tokenizer = NewTokenizer();
        var route = RouteTo(server);

        var first = await tokenizer.CountAsync(_request, route, CancellationToken.None);
        var second = await tokenizer.CountAsync(_request, route, CancellationToken.None);

        Assert.Equal(4, first);
        Assert.Equal(4, second);
        Assert.Equal(2, server.Count(ApplyTemplate));
        Assert.Equal(3, server.Count(Tokenize)); // one probe with messages, then one per count
        using var template = JsonDocument.Parse(server.LastBody(ApplyTemplate));
        Assert.Equal("hi", template.RootElement.GetProperty("messages")[1].GetProperty("content").GetString());
        using var tokenize = JsonDocument.Parse(server.LastBody(Tokenize));
        Assert.Equal("<|im_start|>user\nhi \"there\"<|im_end|>", tokenize.RootElement.GetProperty("content").GetString());
    }

    [Fact]
    public async Task A_server_without_tokenizer_endpoints_is_asked_once()
    {
        await using var server = await LoopbackServer.StartAsync(_ => { });
        var tokenizer = NewTokenizer();
        var route = RouteTo(server);

        var first = await tokenizer.CountAsync(_request, route, CancellationToken.None);
        _time.Advance(TimeSpan.FromHours(1));
        var second = await tokenizer.CountAsync(_request, route, CancellationToken.None);

        Assert.Null(first);
        Assert.Null(second);
        Assert.Equal(1, server.Count(Tokenize));
        Assert.Equal(1, server.Count(ApplyTemplate));
    }

    [Fact]
    public async Task Concurrent_first_requests_share_one_probe()
    {
        // llama.cpp's shape: the message-shaped /tokenize gets an empty list, so the probe goes on to /apply-template.
        await using var server = await LoopbackServer.StartAsync(app =>
        {
            app.MapPost("/apply-template", async context =>
            {
                await Task.Delay(200);
                await LoopbackServer.Json(context, """{"prompt":"p"}""");
            });
            app.MapPost("/tokenize", async context =>
            {
                using var body = await JsonDocument.ParseAsync(context.Request.Body);
                await Task.Delay(200);
                await LoopbackServer.Json(context, body.RootElement.TryGetProperty("content", out _) ? """{"tokens":[1,2,3]}""" : """{"tokens":[]}""");
            });
        });
        var tokenizer = NewTokenizer();
        var route = RouteTo(server);

        var counts = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => tokenizer.CountAsync(_request, route, CancellationToken.None))));

        Assert.All(counts, count => Assert.Equal(3, count));
        var probes = server.Received.Count(entry => entry.Request == Tokenize && entry.Body.Contains("\"messages\"", StringComparison.Ordinal));
        Assert.Equal(1, probes);
        Assert.Equal(50, server.Count(ApplyTemplate)); // one render per request once the method is known
    }

    [Fact]
    public async Task Concurrent_first_requests_to_a_server_without_a_tokenizer_send_one_probe()
    {
        await using var server = await LoopbackServer.StartAsync(app =>
        {
            app.MapPost("/tokenize", async context =>
            {
                await Task.Delay(200);
                context.Response.StatusCode = 404;
            });
        });
        var tokenizer = NewTokenizer();
        var route = RouteTo(server);

        var counts = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => tokenizer.CountAsync(_request, route, CancellationToken.None))));

        Assert.All(counts, Assert.Null);
        Assert.Equal(1, server.Count(Tokenize));
        Assert.Equal(1, server.Count(ApplyTemplate));
    }

    [Fact]
    public async Task A_caller_that_gives_up_does_not_cut_the_shared_probe_short()
    {
        await using var server = await LoopbackServer.StartAsync(app =>
        {
            app.MapPost("/apply-template", context => LoopbackServer.Json(context, """{"prompt":"p"}"""));
            app.MapPost("/tokenize", async context =>
            {
                using var body = await JsonDocument.ParseAsync(context.Request.Body);
                await Task.Delay(300);
                await LoopbackServer.Json(context, body.RootElement.TryGetProperty("content", out _) ? """{"tokens":[1,2,3,4,5,6,7]}""" : """{"tokens":[]}""");
            });
        });
        var tokenizer = NewTokenizer();
        var route = RouteTo(server);
        using var impatient = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => tokenizer.CountAsync(_request, route, impatient.Token));
        await Task.Delay(1000); // the probe finishes on its own
        var patient = await tokenizer.CountAsync(_request, route, CancellationToken.None);

        Assert.Equal(7, patient);
        var probes = server.Received.Count(entry => entry.Request == Tokenize && entry.Body.Contains("\"messages\"", StringComparison.Ordinal));
        Assert.Equal(1, probes); // the patient caller counted with the method the abandoned probe found
    }

    [Fact]
    public async Task Inconclusive_probes_back_off_longer_each_time()
    {
        await using var server = await LoopbackServer.StartAsync(app =>
            app.MapPost("/tokenize", context => LoopbackServer.Json(context, """{"error":"loading"}""", 503)));
        var tokenizer = NewTokenizer();
        var route = RouteTo(server);

        await tokenizer.CountAsync(_request, route, CancellationToken.None); // probe 1, next after 1 min
        _time.Advance(TimeSpan.FromSeconds(61));
        await tokenizer.CountAsync(_request, route, CancellationToken.None); // probe 2, next after 2 min
        _time.Advance(TimeSpan.FromSeconds(61));
        await tokenizer.CountAsync(_request, route, CancellationToken.None); // still waiting
        _time.Advance(TimeSpan.FromSeconds(61));
        await tokenizer.CountAsync(_request, route, CancellationToken.None); // probe 3

        Assert.Equal(3, server.Count(Tokenize));
    }

    [Fact]
    public async Task A_burst_of_counts_keeps_a_bounded_number_of_side_requests_in_flight()
    {
        var inFlight = 0;
        var most = 0;
        await using var server = await LoopbackServer.StartAsync(app =>
            app.MapPost("/tokenize", async context =>
            {
                var now = Interlocked.Increment(ref inFlight);
                InterlockedMax(ref most, now);
                await Task.Delay(100);
                Interlocked.Decrement(ref inFlight);
                await LoopbackServer.Json(context, """{"count":5}""");
            }));
        var tokenizer = NewTokenizer();
        var route = RouteTo(server);

        var counts = await Task.WhenAll(Enumerable.Range(0, 80).Select(_ => Task.Run(() => tokenizer.CountAsync(_request, route, CancellationToken.None))));

        Assert.All(counts, count => Assert.Equal(5, count));
        Assert.InRange(most, 2, ServerQuery.ConcurrencyLimit);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    [Fact]
    public async Task A_failing_server_is_probed_again_after_a_while()
    {
        var healthy = false;
        await using var server = await LoopbackServer.StartAsync(app =>
            app.MapPost("/tokenize", context => healthy
                ? LoopbackServer.Json(context, """{"count":9}""")
                : LoopbackServer.Json(context, """{"error":"loading"}""", 503)));
        var tokenizer = NewTokenizer();
        var route = RouteTo(server);

        var whileFailing = await tokenizer.CountAsync(_request, route, CancellationToken.None);
        healthy = true;
        var soonAfter = await tokenizer.CountAsync(_request, route, CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(2));
        var later = await tokenizer.CountAsync(_request, route, CancellationToken.None);

        Assert.Null(whileFailing);
        Assert.Null(soonAfter);
        Assert.Equal(9, later);
        Assert.Equal(2, server.Count(Tokenize));
    }

    [Fact]
    public async Task An_unreachable_server_gives_no_count()
    {
        var options = new UpstreamOptions { BaseUrl = $"http://127.0.0.1:{LoopbackServer.ClosedPort()}/v1" };

        var count = await NewTokenizer().CountAsync(_request, Route(upstream: options, http: new HttpClient()), CancellationToken.None);

        Assert.Null(count);
    }

    [Fact]
    public async Task The_estimate_setting_never_asks_the_server()
    {
        await using var server = await LoopbackServer.StartAsync(app =>
            app.MapPost("/tokenize", context => LoopbackServer.Json(context, """{"count":42}""")));
        var route = RouteTo(server, tokenizer: "estimate");

        var count = await NewTokenizer().CountAsync(_request, route, CancellationToken.None);

        Assert.Null(count);
        Assert.Empty(server.Received);
    }

    [Theory]
    [InlineData("http://host:8000/v1", "http://host:8000")]
    [InlineData("http://host:8000/v1/", "http://host:8000")]
    [InlineData("http://host:8080", "http://host:8080")]
    [InlineData("https://host/api/v1", "https://host/api")]
    public void The_tokenizer_lives_at_the_server_root(string baseUrl, string expected)
    {
        var upstream = new UpstreamEndpoint("u", new UpstreamOptions { BaseUrl = baseUrl }, new HttpClient());

        Assert.Equal(expected, ServerTokenizer.ServerRoot(upstream));
    }

    private ServerTokenizer NewTokenizer() => new(_time, NullLogger<ServerTokenizer>.Instance);

    private static ModelRoute RouteTo(LoopbackServer server, string tokenizer = "auto", string? thinkingSwitch = null)
    {
        var options = new UpstreamOptions { BaseUrl = server.Url + "/v1", Tokenizer = tokenizer };
        var model = new ModelOptions { Name = "public-model", ThinkingSwitch = thinkingSwitch };
        return Route(model, options, UpstreamHttpClientFactory.CreateHttpClient(options));
    }
}
