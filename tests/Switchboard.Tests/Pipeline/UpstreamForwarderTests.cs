using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Canonical;
using Switchboard.Configuration;
using Switchboard.Egress;
using Switchboard.Pipeline;
using Switchboard.Routing;

namespace Switchboard.Tests.Pipeline;

public sealed class UpstreamForwarderTests
{
    private readonly ScriptedUpstream _upstream = new();

    private UpstreamForwarder Forwarder()
    {
        var apis = new UpstreamApis([_upstream], new UpstreamRegistry(new SwitchboardOptions()));
        return new(apis, new TokenCounter(apis), NullLogger<UpstreamForwarder>.Instance);
    }

    private static ModelRoute Route(int? contextLength = null, int? maxOutput = null)
    {
        // "estimate": the tokenizer never calls out, so these tests stay offline.
        var options = new UpstreamOptions { BaseUrl = "http://127.0.0.1:9/v1", Tokenizer = "estimate", Api = "scripted" };
        var model = new ModelOptions { Name = "m", ContextLength = contextLength, MaxOutputTokens = maxOutput };
        return new ModelRoute("claude-sonnet-4-5", model, new UpstreamEndpoint("gpu", options, new HttpClient()), "m");
    }

    private static MessageRequest Request(int? maxTokens, string text = "hello") => new()
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
    public async Task Without_a_budget_the_models_output_limit_applies()
    {
        await Forwarder().SendAsync(Request(null), Route(maxOutput: 8192), null, CancellationToken.None);

        Assert.Equal([8192], _upstream.SentMaxTokens);
    }

    [Fact]
    public async Task Without_a_budget_the_models_output_limit_is_fitted_to_the_context_window()
    {
        var request = Request(null);

        await Forwarder().SendAsync(request, Route(contextLength: 16384, maxOutput: 16384), null, CancellationToken.None);

        Assert.Equal([16384 - TokenEstimator.Estimate(request)], _upstream.SentMaxTokens);
    }

    [Fact]
    public async Task Without_a_budget_or_an_output_limit_the_upstream_gets_none()
    {
        var request = Request(null);

        await Forwarder().SendAsync(request, Route(contextLength: 16384), null, CancellationToken.None);

        Assert.Equal([null], _upstream.SentMaxTokens);
        Assert.Same(request, Assert.Single(_upstream.SentRequests));
    }

    [Fact]
    public async Task Without_a_budget_a_context_overflow_is_not_retried_and_says_the_prompt_is_too_long()
    {
        _upstream.Refusals.Enqueue(new ContextWindowExceededException("the prompt and output exceed the window", 10000, 16384, null));

        var failure = await Assert.ThrowsAsync<ApiException>(() =>
            Forwarder().SendAsync(Request(null), Route(contextLength: 16384), null, CancellationToken.None));

        Assert.Single(_upstream.SentMaxTokens);
        Assert.Equal("prompt is too long: the prompt and output exceed the window", failure.Message);
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

    [Fact]
    public async Task A_budget_fitted_for_one_attempt_changes_neither_the_callers_request_nor_the_next_attempt()
    {
        _upstream.Refusals.Enqueue(new ContextWindowExceededException("too long", 25000, 40960, 32000));
        var request = Request(64000);

        await Forwarder().SendAsync(request, Route(maxOutput: 32000), null, CancellationToken.None);
        await Forwarder().SendAsync(request, Route(), null, CancellationToken.None);

        Assert.Equal(64000, request.MaxTokens);
        Assert.Equal([32000, 15960, 64000], _upstream.SentMaxTokens);
        Assert.DoesNotContain(request, _upstream.SentRequests.Take(2));
    }

    [Fact]
    public async Task The_context_window_comes_from_the_routes_egress_when_not_configured()
    {
        _upstream.ContextLength = 16384;
        var request = Request(32000);

        await Forwarder().SendAsync(request, Route(), null, CancellationToken.None);

        Assert.Equal([16384 - TokenEstimator.Estimate(request)], _upstream.SentMaxTokens);
    }

    private sealed class ScriptedUpstream : IModelUpstream
    {
        public Queue<Exception> Refusals { get; } = new();

        public List<int?> SentMaxTokens { get; } = [];

        public List<MessageRequest> SentRequests { get; } = [];

        public int? ContextLength { get; set; }

        public string Api => "scripted";

        public Task<int?> CountTokensAsync(MessageRequest request, ModelRoute route, CancellationToken cancellationToken) =>
            Task.FromResult<int?>(null);

        public Task<int?> GetContextLengthAsync(ModelRoute route, CancellationToken cancellationToken) => Task.FromResult(ContextLength);

        public Task<IUpstreamResponse> SendAsync(MessageRequest request, ModelRoute route, CancellationToken cancellationToken)
        {
            SentMaxTokens.Add(request.MaxTokens);
            SentRequests.Add(request);
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
