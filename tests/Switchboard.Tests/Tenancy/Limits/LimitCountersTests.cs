using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Canonical;
using Switchboard.Configuration;
using Switchboard.Tenancy;
using Switchboard.Tenancy.Limits;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Tenancy.Limits;

/// <summary>Shared counters when reachable; per-process ones (or a refusal) while not, with one warning per outage.</summary>
public sealed class LimitCountersTests : IDisposable
{
    private static readonly KeyLimits Limits = new(2, null, null, null);

    private readonly FakeTimeProvider _time = new();
    private readonly MeterRecorder _meters = new();
    private readonly SharedStore _shared;
    private readonly Logs _logs = new();

    public LimitCountersTests() => _shared = new SharedStore(_time);

    public void Dispose() => _meters.Dispose();

    [Fact]
    public async Task A_reachable_shared_store_decides_and_the_ticket_names_it()
    {
        var decision = await Create().AcquireAsync(Request(), default);

        Assert.Same(_shared, decision.Ticket.Store);
        Assert.Equal(1, _shared.Calls);
    }

    [Fact]
    public async Task While_the_shared_store_is_down_each_process_enforces_the_limit_and_warns_once()
    {
        var counters = Create();
        _shared.Available = false;

        var first = await counters.AcquireAsync(Request(), default);
        var second = await counters.AcquireAsync(Request(), default);
        var third = await counters.AcquireAsync(Request(), default);

        Assert.IsType<LocalLimitCounters>(first.Ticket.Store);
        Assert.Equal((true, true, false), (first.Admitted, second.Admitted, third.Admitted));
        Assert.Equal(0, _shared.Calls); // not tried while known to be down: no wait on it
        var warning = Assert.Single(_logs.Lines, l => l.Level == LogLevel.Warning);
        Assert.Contains("unreachable", warning.Message);
        Assert.Equal(3, _meters.Of("switchboard.limits.store_fallbacks").Sum(m => m.Value));
    }

    [Fact]
    public async Task A_call_that_fails_falls_back_too_and_the_store_is_used_again_once_back()
    {
        var counters = Create();
        _shared.FailNext = true;

        var during = await counters.AcquireAsync(Request(), default);
        var after = await counters.AcquireAsync(Request(), default);
        _shared.FailNext = true;
        await counters.AcquireAsync(Request(), default);

        Assert.IsType<LocalLimitCounters>(during.Ticket.Store);
        Assert.Same(_shared, after.Ticket.Store);
        Assert.Equal(2, _logs.Lines.Count(l => l.Level == LogLevel.Warning)); // one per outage
        Assert.Single(_logs.Lines, l => l.Message.Contains("reachable again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Failing_closed_refuses_with_a_retryable_unavailable_error_naming_the_limit_store()
    {
        var counters = Create(failClosed: true);
        _shared.Available = false;

        var refusal = await Assert.ThrowsAsync<ApiException>(() => counters.AcquireAsync(Request(), default).AsTask());

        Assert.Equal(ApiErrorKind.Overloaded, refusal.Error.Kind);
        Assert.Contains("rate-limit store is unavailable", refusal.Error.Message);
        Assert.Equal((5, true, "service_unavailable"), (refusal.Error.RetryAfterSeconds, refusal.Error.ShouldRetry, refusal.Error.Code));
        Assert.Empty(_meters.Of("switchboard.limits.store_fallbacks"));
        Assert.Contains("FailClosed", Assert.Single(_logs.Lines).Message);
    }

    [Fact]
    public async Task Without_a_shared_store_the_process_counters_decide()
    {
        var counters = new LimitCounters(new LocalLimitCounters(_time), new SwitchboardOptions(), new LimitMetrics(_meters), _logs);

        var decision = await counters.AcquireAsync(Request(), default);

        Assert.IsType<LocalLimitCounters>(decision.Ticket.Store);
        Assert.False(counters.Shared);
    }

    private LimitCounters Create(bool failClosed = false) => new(
        new LocalLimitCounters(_time), new SwitchboardOptions { Storage = { Redis = "redis.invalid:6379", FailClosed = failClosed } },
        new LimitMetrics(_meters), _logs, _shared);

    private static CounterRequest Request() => new("key", Limits, 0, Guid.NewGuid().ToString("N"));

    /// <summary>A shared store that works like the process one but can be switched off or made to fail once.</summary>
    private sealed class SharedStore(TimeProvider time) : ISharedLimitCounterStore
    {
        private readonly LocalLimitCounters _inner = new(time);

        public bool Available { get; set; } = true;

        public bool FailNext { get; set; }

        public int Calls { get; private set; }

        public bool IsAvailable => Available;

        public string Location => "redis.invalid:6379";

        public TimeSpan OutputChargeInterval => TimeSpan.FromSeconds(1);

        public async ValueTask<CounterDecision> AcquireAsync(CounterRequest request, CancellationToken cancellationToken)
        {
            Calls++;
            if (FailNext)
            {
                FailNext = false;
                throw new LimitStoreUnavailableException("down");
            }

            var decision = await _inner.AcquireAsync(request, cancellationToken);
            return decision with { Ticket = decision.Ticket with { Store = this } };
        }

        public ValueTask<CounterLevels> PeekAsync(string keyId, KeyLimits limits, CancellationToken cancellationToken) => _inner.PeekAsync(keyId, limits, cancellationToken);

        public void Charge(in CounterTicket ticket, long inputTokens, long outputTokens, bool release) =>
            _inner.Charge(ticket with { Store = _inner }, inputTokens, outputTokens, release);
    }

    private sealed class Logs : ILogger<LimitCounters>
    {
        public List<(LogLevel Level, string Message)> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add((logLevel, formatter(state, exception)));
    }
}
