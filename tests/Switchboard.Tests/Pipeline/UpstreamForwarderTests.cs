using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Buffers;
using Switchboard.Canonical;
using Switchboard.Configuration;
using Switchboard.Egress;
using Switchboard.Egress.OpenAIChat;
using Switchboard.Hosting;
using Switchboard.Pipeline;
using Switchboard.Routing;
using Switchboard.Telemetry;
using Switchboard.Tests.Buffers;
using Switchboard.Tests.Egress;

namespace Switchboard.Tests.Pipeline;

public sealed class UpstreamForwarderTests
{
    private readonly ScriptedUpstream _upstream = new();

    private UpstreamForwarder Forwarder() => new(
        _upstream,
        new ServerModelInfo(TimeProvider.System, NullLogger<ServerModelInfo>.Instance),
        new TokenCounter(new ServerTokenizer(TimeProvider.System, NullLogger<ServerTokenizer>.Instance)),
        NullLogger<UpstreamForwarder>.Instance);

    private static ModelRoute Route(int? contextLength = null, int? maxOutput = null)
    {
        // "estimate": the tokenizer never calls out, so these tests stay offline.
        var options = new UpstreamOptions { BaseUrl = "http://127.0.0.1:9/v1", Tokenizer = "estimate" };
        var model = new ModelOptions { Name = "m", ContextLength = contextLength, MaxOutputTokens = maxOutput };
        return new ModelRoute("claude-sonnet-4-5", model, new UpstreamEndpoint("gpu", options, new HttpClient()), "m");
    }

    private static MessageRequest Request(int maxTokens, string text = "hello") => new()
    {
        Model = "claude-sonnet-4-5",
        MaxTokens = maxTokens,
        Messages = [new Message(Role.User, [new TextBlock(text)])],
    };

    [Fact]
    public async Task Max_tokens_is_lowered_to_the_models_output_limit()
    {
        var request = Request(64000);

        await Forwarder().SendAsync(request, Route(maxOutput: 8192), null, CancellationToken.None);

        Assert.Equal([8192], _upstream.SentMaxTokens);
    }

    [Fact]
    public async Task Max_tokens_is_lowered_to_fit_a_known_context_window()
    {
        var request = Request(32000);

        var estimate = TokenEstimator.Estimate(request);

        await Forwarder().SendAsync(request, Route(contextLength: 16384), null, CancellationToken.None);

        Assert.InRange(estimate, 1, 100);
        Assert.Equal([16384 - estimate], _upstream.SentMaxTokens);
    }

    [Fact]
    public async Task A_count_the_caller_already_has_fits_the_budget_without_counting_again()
    {
        var request = Request(32000);

        await Forwarder().SendAsync(request, Route(contextLength: 16384), Task.FromResult(new TokenCount(10000, Exact: true)), CancellationToken.None);

        Assert.Equal([6384], _upstream.SentMaxTokens);
    }

    [Fact]
    public async Task An_output_budget_that_does_not_fit_is_retried_once_with_what_is_left()
    {
        _upstream.Refusals.Enqueue(new ContextWindowExceededException("too long", 25000, 40960, 32000));
        var request = Request(32000);

        await Forwarder().SendAsync(request, Route(), null, CancellationToken.None);

        Assert.Equal([32000, 15960], _upstream.SentMaxTokens);
    }

    [Fact]
    public async Task A_prompt_that_alone_exceeds_the_window_gets_anthropics_wording()
    {
        _upstream.Refusals.Enqueue(new ContextWindowExceededException("too long", 50000, 40960, null));

        var failure = await Assert.ThrowsAsync<ApiException>(() => Forwarder().SendAsync(Request(1000), Route(), null, CancellationToken.None));

        Assert.Equal(ApiErrorKind.InvalidRequest, failure.Error.Kind);
        Assert.Equal("prompt is too long: 50000 tokens > 40960 maximum", failure.Error.Message);
        Assert.Single(_upstream.SentMaxTokens);
    }

    [Fact]
    public async Task A_refusal_after_the_retry_reports_input_plus_budget()
    {
        _upstream.Refusals.Enqueue(new ContextWindowExceededException("too long", 25000, 40960, 32000));
        _upstream.Refusals.Enqueue(new ContextWindowExceededException("still too long", 25000, 40960, 15960));

        var failure = await Assert.ThrowsAsync<ApiException>(() => Forwarder().SendAsync(Request(32000), Route(), null, CancellationToken.None));

        Assert.Equal(
            "input length and `max_tokens` exceed context limit: 25000 + 15960 > 40960, decrease input length or `max_tokens` and try again",
            failure.Error.Message);
        Assert.Equal([32000, 15960], _upstream.SentMaxTokens);
    }

    [Fact]
    public async Task Without_numbers_the_upstream_message_follows_anthropics_prefix()
    {
        _upstream.Refusals.Enqueue(new ContextWindowExceededException("the request exceeds the available context size", null, null, null));

        var failure = await Assert.ThrowsAsync<ApiException>(() => Forwarder().SendAsync(Request(100), Route(), null, CancellationToken.None));

        Assert.Equal("prompt is too long: the request exceeds the available context size", failure.Error.Message);
    }

    private sealed class ScriptedUpstream : IModelUpstream
    {
        public Queue<Exception> Refusals { get; } = new();

        public List<int> SentMaxTokens { get; } = [];

        public Task<IUpstreamResponse> SendAsync(MessageRequest request, ModelRoute route, CancellationToken cancellationToken)
        {
            SentMaxTokens.Add(request.MaxTokens);
            return Refusals.TryDequeue(out var refusal)
                ? Task.FromException<IUpstreamResponse>(refusal)
                : Task.FromResult<IUpstreamResponse>(new EmptyResponse());
        }
    }

    private sealed class EmptyResponse : IUpstreamResponse
    {
        public Task ReadAsync(StreamAssembler target, StreamPacing? pacing, CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose()
        {
        }
    }
}
