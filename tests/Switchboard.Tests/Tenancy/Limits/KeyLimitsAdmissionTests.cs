using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Canonical;
using Switchboard.Configuration;
using Switchboard.Egress;
using Switchboard.Pipeline;
using Switchboard.Routing;
using Switchboard.Tenancy;
using Switchboard.Tenancy.Limits;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Tenancy.Limits;

public sealed class KeyLimitsAdmissionTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly MeterRecorder _meters = new();
    private readonly List<IBudgetGate> _budgets = [];
    private readonly ModelRoute _route = Route("qwen3-coder");

    public void Dispose() => _meters.Dispose();

    [Fact]
    public async Task A_request_without_a_stored_key_gets_the_shared_no_op_lease()
    {
        var admission = Create();

        var open = await admission.AdmitAsync(Request(), _route, new RequestRecord(), default);
        var configured = await admission.AdmitAsync(Request(), _route, new RequestRecord { Caller = new KeyCaller("key_1234", null) }, default);
        var unlimited = await admission.AdmitAsync(Request(), _route, Record(Key(KeyLimits.None)), default);

        Assert.Same(AdmitAll.NoLease.Instance, open);
        Assert.Same(AdmitAll.NoLease.Instance, configured);
        Assert.Same(AdmitAll.NoLease.Instance, unlimited);
    }

    [Fact]
    public async Task A_key_not_allowed_the_model_after_alias_resolution_is_refused_with_403_naming_it()
    {
        var admission = Create();
        var key = Key(new KeyLimits(10, null, null, null)) with { Models = ["gpt-oss*"] };
        var record = Record(key);

        // The client asked for an alias; the key's globs are matched against the model it resolves to.
        var refusal = await Assert.ThrowsAsync<ApiException>(() => admission.AdmitAsync(Request(), _route, record, default).AsTask());

        Assert.Equal(ApiErrorKind.Permission, refusal.Error.Kind);
        Assert.Equal("This API key does not have permission to use model 'qwen3-coder'", refusal.Error.Message);
        Assert.Equal(10, record.RateLimits!.Requests!.Value.Remaining); // still told where the key stands; nothing charged
    }

    [Fact]
    public async Task A_key_allowed_the_model_by_a_glob_is_admitted()
    {
        var key = Key(new KeyLimits(10, null, null, null)) with { Models = ["qwen3*"] };

        var lease = await Create().AdmitAsync(Request(), _route, Record(key), default);

        Assert.IsType<LimitedLease>(lease);
    }

    [Fact]
    public async Task Every_budget_gate_is_asked_before_the_counters_and_a_refusal_charges_nothing()
    {
        var asked = new List<string>();
        _budgets.Add(new Gate(k => asked.Add("first " + k.Id)));
        _budgets.Add(new Gate(_ => throw new ApiException(new ApiError(ApiErrorKind.Billing, "spent") { RetryAfterSeconds = 3600 })));
        var admission = Create();
        var record = Record(Key(new KeyLimits(5, null, null, null)));

        var refusal = await Assert.ThrowsAsync<ApiException>(() => admission.AdmitAsync(Request(), _route, record, default).AsTask());

        Assert.Equal(ApiErrorKind.Billing, refusal.Error.Kind);
        Assert.Equal(["first sk1234567890"], asked);
        Assert.Equal(5, record.RateLimits!.Requests!.Value.Remaining);
    }

    [Fact]
    public async Task A_key_with_a_budget_but_no_limits_is_checked_and_gets_the_no_op_lease()
    {
        var asked = 0;
        _budgets.Add(new Gate(_ => asked++));

        var lease = await Create().AdmitAsync(Request(), _route, Record(Key(KeyLimits.None)), default);

        Assert.Same(AdmitAll.NoLease.Instance, lease);
        Assert.Equal(1, asked);
    }

    [Fact]
    public async Task Over_its_requests_per_minute_a_key_gets_a_429_naming_the_gateways_limit_with_the_wait()
    {
        var admission = Create();
        var key = Key(new KeyLimits(2, null, null, null));
        await admission.AdmitAsync(Request(), _route, Record(key), default);
        await admission.AdmitAsync(Request(), _route, Record(key), default);
        _time.Advance(TimeSpan.FromSeconds(10));
        var record = Record(key);

        var refusal = await Assert.ThrowsAsync<ApiException>(() => admission.AdmitAsync(Request(), _route, record, default).AsTask());

        var error = refusal.Error;
        Assert.Equal(ApiErrorKind.RateLimit, error.Kind);
        Assert.Equal(
            "Rate limit reached for Switchboard API key sk1234567890: this gateway limits the key to 2 requests per minute. This is the key's own limit on this Switchboard, not the model provider's. Please try again in 20s.",
            error.Message);
        Assert.Equal((20, 20_000, true), (error.RetryAfterSeconds, error.RetryAfterMilliseconds, error.ShouldRetry));
        var requests = record.RateLimits!.Requests!.Value;
        Assert.Equal((2, 0), (requests.Limit, requests.Remaining));
        Assert.Equal(50, requests.ResetAfter.TotalSeconds, 3);
        Assert.Equal(Start.AddSeconds(10), record.RateLimits.AsOf);
    }

    [Fact]
    public async Task A_wait_longer_than_a_minute_is_not_worth_an_automatic_retry()
    {
        var admission = Create();
        var key = Key(new KeyLimits(null, 100, null, null));
        await admission.AdmitAsync(Request(new string('x', 4_000)), _route, Record(key), default); // ~1,000 tokens: overdrawn

        var refusal = await Assert.ThrowsAsync<ApiException>(() => admission.AdmitAsync(Request(), _route, Record(key), default).AsTask());

        Assert.Contains("100 input tokens per minute", refusal.Error.Message);
        Assert.True(refusal.Error.RetryAfterSeconds > 60);
        Assert.False(refusal.Error.ShouldRetry);
    }

    [Fact]
    public async Task The_status_on_an_admitted_request_has_only_the_keys_limits_with_what_it_charged()
    {
        var record = Record(Key(new KeyLimits(60, 100_000, null, 4)));

        await Create().AdmitAsync(Request(new string('x', 400)), _route, record, default);

        var status = record.RateLimits!;
        Assert.Null(status.OutputTokens);
        Assert.Equal(59, status.Requests!.Value.Remaining);
        Assert.Equal(1, status.Requests.Value.ResetAfter.TotalSeconds, 3);
        Assert.Equal(100_000 - 104, status.InputTokens!.Value.Remaining); // 400 chars / 4 + 4 for the turn
    }

    [Fact]
    public async Task A_concurrency_refusal_is_a_429_that_says_requests_in_progress_must_finish()
    {
        var admission = Create();
        var key = Key(new KeyLimits(null, null, null, 1));
        var held = await admission.AdmitAsync(Request(), _route, Record(key), default);

        var refusal = await Assert.ThrowsAsync<ApiException>(() => admission.AdmitAsync(Request(), _route, Record(key), default).AsTask());
        held.Complete(new RequestRecord());
        var next = await admission.AdmitAsync(Request(), _route, Record(key), default);

        Assert.Contains("1 concurrent requests", refusal.Error.Message);
        Assert.Equal(1, refusal.Error.RetryAfterSeconds);
        Assert.IsType<LimitedLease>(next);
    }

    [Fact]
    public async Task Refusals_are_counted_by_limit()
    {
        var admission = Create();
        var key = Key(new KeyLimits(1, null, null, null));
        await admission.AdmitAsync(Request(), _route, Record(key), default);

        await Assert.ThrowsAsync<ApiException>(() => admission.AdmitAsync(Request(), _route, Record(key), default).AsTask());

        var measurement = Assert.Single(_meters.Of("switchboard.limits.refused"));
        Assert.Equal("requests", measurement.Tags["switchboard.limit"]);
    }

    private KeyLimitsAdmission Create()
    {
        var counters = new LimitCounters(new LocalLimitCounters(_time), new SwitchboardOptions(), new LimitMetrics(_meters), NullLogger<LimitCounters>.Instance);
        return new KeyLimitsAdmission(counters, _budgets, new LimitMetrics(_meters), _time);
    }

    private static ApiKeyRecord Key(KeyLimits limits) => new()
    {
        Id = "sk1234567890",
        Name = "alice",
        SecretHash = "00",
        Limits = limits,
        CreatedAt = Start,
    };

    private static RequestRecord Record(ApiKeyRecord key) => new() { RequestId = "req_" + Guid.NewGuid().ToString("N"), Caller = new KeyCaller(key.Id, key) };

    private static MessageRequest Request(string text = "Hi") => new()
    {
        Model = "claude-sonnet-4-5",
        MaxTokens = 64_000,
        Messages = [new Message(Role.User, [new TextBlock(text)])],
    };

    private static ModelRoute Route(string model) =>
        new("claude-sonnet-4-5", new ModelOptions { Name = model, Aliases = ["claude-*"] },
            new UpstreamEndpoint("gpu", new UpstreamOptions { BaseUrl = "http://127.0.0.1:9/v1" }, new HttpClient()), model);

    private sealed class Gate(Action<ApiKeyRecord> check) : IBudgetGate
    {
        public ValueTask CheckAsync(ApiKeyRecord key, CancellationToken cancellationToken)
        {
            check(key);
            return ValueTask.CompletedTask;
        }
    }
}
