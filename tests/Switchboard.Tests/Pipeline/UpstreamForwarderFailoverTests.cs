using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Canonical;
using Switchboard.Configuration;
using Switchboard.Egress;
using Switchboard.Pipeline;
using Switchboard.Routing;
using Switchboard.Routing.Pools;

namespace Switchboard.Tests.Pipeline;

/// <summary>The send stage over a pool of two targets (a preferred and a fallback), on a fake clock.</summary>
public sealed class UpstreamForwarderFailoverTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly FailingUpstream _upstream = new();
    private readonly SwitchboardOptions _options;
    private readonly UpstreamRegistry _registry;
    private readonly UpstreamHealthBoard _board;
    private readonly ModelCatalog _catalog;

    public UpstreamForwarderFailoverTests()
    {
        _options = new SwitchboardOptions
        {
            Upstreams =
            {
                ["a"] = new UpstreamOptions { BaseUrl = "http://127.0.0.1:9/v1", Api = "failing", Tokenizer = "estimate" },
                ["b"] = new UpstreamOptions { BaseUrl = "http://127.0.0.1:10/v1", Api = "failing", Tokenizer = "estimate" },
            },
            Models = { new ModelOptions { Name = "m", Targets = { new TargetOptions { Upstream = "a", UpstreamModel = "m-a" }, new TargetOptions { Upstream = "b", UpstreamModel = "m-b", Priority = 1 } } } },
            Pools = new PoolOptions { BackoffMilliseconds = 1000, MaxAttempts = 3 },
        };
        _registry = new UpstreamRegistry(_options);
        _board = new UpstreamHealthBoard(_registry, _time, NullLogger<UpstreamHealthBoard>.Instance);
        _catalog = new ModelCatalog(_options, _registry, _board);
    }

    private UpstreamForwarder Forwarder()
    {
        var apis = new UpstreamApis([_upstream], _registry);
        return new UpstreamForwarder(apis, new TokenCounter(apis, _time), _board, _options, _time, NullLogger<UpstreamForwarder>.Instance);
    }

    private static MessageRequest Request(int maxTokens) => new()
    {
        Model = "m",
        MaxTokens = maxTokens,
        Messages = [new Message(Role.User, [new TextBlock("hello")])],
    };

    [Fact]
    public async Task An_overloaded_target_is_cooled_and_the_request_goes_to_the_next_after_a_jittered_wait()
    {
        _upstream.Failures["a"] = UpstreamFailureKind.Overloaded;
        var record = new RequestRecord();

        var send = Forwarder().SendAsync(Request(100), _catalog.Resolve("m"), null, CancellationToken.None, record);

        Assert.Equal(["a"], _upstream.Sent);
        _time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.Equal(["a"], _upstream.Sent);
        _time.Advance(TimeSpan.FromMilliseconds(1001));
        using var response = await send;
        Assert.Equal(["a", "b"], _upstream.Sent);
        Assert.Equal(("b", "m-b", 2), (record.Target, record.UpstreamModel, record.Attempts));
        Assert.Equal("cooling", _board.Report().Single(r => r.Upstream == "a").State);
        Assert.Equal(1, _board.Report().Single(r => r.Upstream == "b").InFlight);
    }

    [Fact]
    public async Task Each_attempt_fits_the_budget_to_its_own_targets_window_on_its_own_copy()
    {
        _upstream.Windows["m-a"] = 600;
        _upstream.Windows["m-b"] = 100_000;
        _upstream.Failures["a"] = UpstreamFailureKind.ServerError;
        var request = Request(4000);

        var send = Forwarder().SendAsync(request, _catalog.Resolve("m"), null, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(2));
        using var response = await send;

        Assert.Equal(["a", "b"], _upstream.Sent);
        Assert.Equal([600 - TokenEstimator.Estimate(request), 4000], _upstream.SentMaxTokens);
        Assert.Equal(4000, request.MaxTokens);
    }

    [Fact]
    public async Task A_request_the_upstream_rejects_is_not_sent_elsewhere()
    {
        _upstream.Failures["a"] = UpstreamFailureKind.Rejected;

        var failure = await Assert.ThrowsAsync<ApiException>(() => Forwarder().SendAsync(Request(100), _catalog.Resolve("m"), null, CancellationToken.None));

        Assert.Equal(ApiErrorKind.InvalidRequest, failure.Error.Kind);
        Assert.Equal(["a"], _upstream.Sent);
        Assert.Equal("unknown", _board.Report().Single(r => r.Upstream == "a").State);
    }

    [Fact]
    public async Task When_every_target_fails_the_client_is_told_the_model_is_overloaded()
    {
        _upstream.Failures["a"] = UpstreamFailureKind.Refused;
        _upstream.Failures["b"] = UpstreamFailureKind.RateLimited;

        var send = Forwarder().SendAsync(Request(100), _catalog.Resolve("m"), null, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(2));
        var failure = await Assert.ThrowsAsync<ApiException>(() => send);

        Assert.Equal(ApiErrorKind.Overloaded, failure.Error.Kind);
        Assert.Equal("Model 'm' is overloaded: no upstream serving it could take the request (2 tried); retry shortly", failure.Error.Message);
        Assert.True(failure.Error.Retryable);
        // The soonest cooldown end: a's, 5 s from its failure, 2 s ago.
        Assert.Equal(3, failure.Error.RetryAfterSeconds);
        Assert.All(_board.Report(), r => Assert.Equal(0, r.InFlight));

        // Both cooling now: the next request is refused at once, without trying either.
        var next = await Assert.ThrowsAsync<ApiException>(() => Forwarder().SendAsync(Request(100), _catalog.Resolve("m"), null, CancellationToken.None));
        Assert.StartsWith("Model 'm' is overloaded: every upstream serving it is cooling down", next.Error.Message, StringComparison.Ordinal);
        Assert.Equal(["a", "b"], _upstream.Sent);
    }

    public void Dispose() => _registry.Dispose();

    private sealed class FailingUpstream : IModelUpstream
    {
        public Dictionary<string, UpstreamFailureKind> Failures { get; } = [];

        public Dictionary<string, int> Windows { get; } = [];

        public List<string> Sent { get; } = [];

        public List<int?> SentMaxTokens { get; } = [];

        public string Api => "failing";

        public Task<int?> CountTokensAsync(MessageRequest request, ModelRoute route, CancellationToken cancellationToken) => Task.FromResult<int?>(null);

        public Task<int?> GetContextLengthAsync(ModelRoute route, CancellationToken cancellationToken) =>
            Task.FromResult(Windows.TryGetValue(route.UpstreamModel, out var window) ? window : (int?)null);

        public Task<IUpstreamResponse> SendAsync(MessageRequest request, ModelRoute route, CancellationToken cancellationToken)
        {
            Sent.Add(route.Upstream.Name);
            SentMaxTokens.Add(request.MaxTokens);
            return Failures.TryGetValue(route.Upstream.Name, out var kind)
                ? Task.FromException<IUpstreamResponse>(UpstreamFailure.Create(kind, $"Upstream '{route.Upstream.Name}' failed"))
                : Task.FromResult<IUpstreamResponse>(new Answered());
        }

        private sealed class Answered : IUpstreamResponse
        {
            public Task ReadAsync(StreamAssembler target, StreamPacing? pacing, CancellationToken cancellationToken) => Task.CompletedTask;

            public void Dispose()
            {
            }
        }
    }
}
