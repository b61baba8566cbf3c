using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Configuration;
using Switchboard.Egress;
using Switchboard.Egress.OpenAIChat;
using Switchboard.Routing;
using static Switchboard.Tests.Egress.OpenAIChat.TestRoutes;

namespace Switchboard.Tests.Egress.OpenAIChat;

public sealed class ServerModelInfoTests
{
    private const string Models = "GET /v1/models";

    private readonly ManualTimeProvider _time = new();

    [Fact]
    public async Task Reads_vllm_max_model_len_for_the_routed_model_and_caches_it()
    {
        await using var server = await LoopbackServer.StartAsync(app => app.MapGet("/v1/models", context => LoopbackServer.Json(context, """
            {"object":"list","data":[
              {"id":"other-model","object":"model","max_model_len":4096},
              {"id":"upstream-model","object":"model","max_model_len":131072}]}
            """)));
        var info = NewInfo();
        var route = RouteTo(server);

        var first = await info.GetContextLengthAsync(route, CancellationToken.None);
        var second = await info.GetContextLengthAsync(route, CancellationToken.None);

        Assert.Equal(131072, first);
        Assert.Equal(131072, second);
        Assert.Equal(1, server.Count(Models));
    }

    [Fact]
    public async Task A_configured_context_length_wins_without_asking()
    {
        await using var server = await LoopbackServer.StartAsync(app => app.MapGet("/v1/models", context => LoopbackServer.Json(context, """
            {"data":[{"id":"upstream-model","max_model_len":131072}]}
            """)));

        var length = await NewInfo().GetContextLengthAsync(RouteTo(server, contextLength: 32768), CancellationToken.None);

        Assert.Equal(32768, length);
        Assert.Empty(server.Received);
    }

    [Fact]
    public async Task No_answer_is_remembered_for_a_few_minutes_then_asked_again()
    {
        var healthy = false;
        await using var server = await LoopbackServer.StartAsync(app => app.MapGet("/v1/models", context => healthy
            ? LoopbackServer.Json(context, """{"data":[{"id":"upstream-model","max_model_len":8192}]}""")
            : LoopbackServer.Json(context, """{"error":"down"}""", 500)));
        var info = NewInfo();
        var route = RouteTo(server);

        var failing = await info.GetContextLengthAsync(route, CancellationToken.None);
        healthy = true;
        var cached = await info.GetContextLengthAsync(route, CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(6));
        var recovered = await info.GetContextLengthAsync(route, CancellationToken.None);

        Assert.Null(failing);
        Assert.Null(cached);
        Assert.Equal(8192, recovered);
        Assert.Equal(2, server.Count(Models));
    }

    [Theory]
    [InlineData("""{"data":[{"id":"upstream-model","context_length":200000}]}""", 200000)]
    [InlineData("""{"data":[{"id":"upstream-model","max_model_len":65536,"context_length":200000}]}""", 65536)]
    [InlineData("""{"data":[{"id":"/models/qwen.gguf","meta":{"n_ctx_train":40960}}]}""", 40960)]
    [InlineData("""{"data":[{"id":"a","max_model_len":1},{"id":"b","max_model_len":2}]}""", null)]
    [InlineData("""{"data":[{"id":"upstream-model"}]}""", null)]
    [InlineData("""{"data":[{"id":"upstream-model","max_model_len":"big"}]}""", null)]
    [InlineData("<html>not json</html>", null)]
    [InlineData("""{"models":[]}""", null)]
    public void Reads_the_context_field_each_server_uses(string json, int? expected)
    {
        Assert.Equal(expected, ServerModelInfo.ReadContextLength(Encoding.UTF8.GetBytes(json), "upstream-model"));
    }

    private ServerModelInfo NewInfo() => new(_time, NullLogger<ServerModelInfo>.Instance);

    private static ModelRoute RouteTo(LoopbackServer server, int? contextLength = null)
    {
        var options = new UpstreamOptions { BaseUrl = server.Url + "/v1" };
        return Route(new ModelOptions { Name = "public-model", ContextLength = contextLength }, options, UpstreamHttpClientFactory.CreateHttpClient(options));
    }
}
