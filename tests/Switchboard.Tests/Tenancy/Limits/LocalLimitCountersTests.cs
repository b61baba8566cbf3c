using Microsoft.Extensions.Time.Testing;
using Switchboard.Tenancy;
using Switchboard.Tenancy.Limits;

namespace Switchboard.Tests.Tenancy.Limits;

public sealed class LocalLimitCountersTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly LocalLimitCounters _counters;

    public LocalLimitCountersTests() => _counters = new LocalLimitCounters(_time);

    [Fact]
    public async Task A_key_gets_its_requests_per_minute_then_waits_for_one_to_refill()
    {
        var limits = new KeyLimits(3, null, null, null);
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await AcquireAsync(limits)).Admitted);
        }

        var refused = await AcquireAsync(limits);

        Assert.False(refused.Admitted);
        Assert.Equal(LimitKind.Requests, refused.RefusedBy);
        Assert.Equal(20, refused.Wait.TotalSeconds, 3); // 3 per minute: one every 20 s
        _time.Advance(TimeSpan.FromSeconds(19.9));
        Assert.False((await AcquireAsync(limits)).Admitted);
        _time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.True((await AcquireAsync(limits)).Admitted);
    }

    [Fact]
    public async Task Levels_after_an_admission_count_what_it_charged()
    {
        var limits = new KeyLimits(60, 10_000, 2_000, null);

        var decision = await AcquireAsync(limits, estimate: 1_500);

        Assert.Equal((59, 8_500, 2_000), (decision.Levels.Requests, decision.Levels.InputTokens, decision.Levels.OutputTokens));
    }

    [Fact]
    public async Task A_refusal_charges_nothing()
    {
        var limits = new KeyLimits(60, 1_000, null, null);
        Assert.True((await AcquireAsync(limits, estimate: 900)).Admitted);

        var refused = await AcquireAsync(limits, estimate: 500);

        Assert.Equal(LimitKind.InputTokens, refused.RefusedBy);
        Assert.Equal((59, 100), (refused.Levels.Requests, refused.Levels.InputTokens));
        Assert.Equal(24, refused.Wait.TotalSeconds, 3); // 400 tokens at 1,000 per minute
    }

    [Fact]
    public async Task The_longest_wait_of_the_refusing_buckets_is_the_one_reported()
    {
        var limits = new KeyLimits(1, 600, null, null);
        Assert.True((await AcquireAsync(limits, estimate: 300)).Admitted);

        var refused = await AcquireAsync(limits, estimate: 600);

        // Input needs 300 more tokens (30 s); the next request needs 60 s: the request is refused for 60 s.
        Assert.Equal(LimitKind.Requests, refused.RefusedBy);
        Assert.Equal(60, refused.Wait.TotalSeconds, 3);
    }

    [Fact]
    public async Task A_request_larger_than_the_whole_input_limit_waits_for_a_full_bucket_and_overdraws_it()
    {
        var limits = new KeyLimits(null, 1_000, null, null);

        var first = await AcquireAsync(limits, estimate: 5_000);
        var second = await AcquireAsync(limits, estimate: 10);

        Assert.True(first.Admitted);
        Assert.Equal(-4_000, first.Levels.InputTokens);
        Assert.False(second.Admitted);
        Assert.Equal(60 * 4.01, second.Wait.TotalSeconds, 3); // until 10 tokens are back
    }

    [Fact]
    public async Task Output_is_not_reserved_one_token_left_admits_and_an_overdraft_waits()
    {
        var limits = new KeyLimits(null, null, 600, null);
        var first = await AcquireAsync(limits);
        _counters.Charge(first.Ticket, 0, 599, release: false);

        var second = await AcquireAsync(limits);
        _counters.Charge(second.Ticket, 0, 100, release: false);
        var third = await AcquireAsync(limits);

        Assert.True(second.Admitted);
        Assert.False(third.Admitted);
        Assert.Equal(LimitKind.OutputTokens, third.RefusedBy);
        Assert.Equal(-99, third.Levels.OutputTokens);
        Assert.Equal(10, third.Wait.TotalSeconds, 3); // 100 tokens at 10 per second
    }

    [Fact]
    public async Task Concurrency_is_checked_before_the_buckets_and_a_release_frees_the_slot()
    {
        var limits = new KeyLimits(100, null, null, 2);
        var first = await AcquireAsync(limits);
        Assert.True((await AcquireAsync(limits)).Admitted);

        var refused = await AcquireAsync(limits);
        _counters.Charge(first.Ticket, 0, 0, release: true);
        var after = await AcquireAsync(limits);

        Assert.Equal(LimitKind.Concurrency, refused.RefusedBy);
        Assert.Equal(98, refused.Levels.Requests); // nothing charged for the refusal
        Assert.True(after.Admitted);
        Assert.Equal(2, after.Levels.InFlight);
    }

    [Fact]
    public async Task Refunds_never_fill_a_bucket_beyond_its_limit()
    {
        var limits = new KeyLimits(null, 1_000, null, null);
        var admitted = await AcquireAsync(limits, estimate: 100);

        _counters.Charge(admitted.Ticket, -5_000, 0, release: false);

        Assert.Equal(1_000, (await _counters.PeekAsync("key", limits, default)).InputTokens);
    }

    [Fact]
    public async Task Keys_have_their_own_counters()
    {
        var limits = new KeyLimits(1, null, null, null);
        Assert.True((await AcquireAsync(limits, key: "a")).Admitted);

        Assert.True((await AcquireAsync(limits, key: "b")).Admitted);
        Assert.False((await AcquireAsync(limits, key: "a")).Admitted);
    }

    [Fact]
    public async Task A_raised_limit_keeps_the_level_and_a_new_limit_starts_full()
    {
        Assert.True((await AcquireAsync(new KeyLimits(2, null, null, null))).Admitted);

        var raised = await AcquireAsync(new KeyLimits(10, 500, null, null));

        Assert.Equal((0, 500), (raised.Levels.Requests, raised.Levels.InputTokens));
    }

    [Fact]
    public async Task Peek_charges_nothing()
    {
        var limits = new KeyLimits(5, null, null, null);
        await AcquireAsync(limits);

        var levels = await _counters.PeekAsync("key", limits, default);

        Assert.Equal(4, levels.Requests);
        Assert.Equal(4, (await _counters.PeekAsync("key", limits, default)).Requests);
    }

    [Fact]
    public async Task Concurrent_admissions_never_admit_more_than_the_limit()
    {
        var limits = new KeyLimits(100, null, null, 7);
        var admitted = 0;
        var inFlightPeak = 0;

        // A caller refused for concurrency tries again (as a client would after its wait), so the request bucket alone
        // decides how many get in: one worker cannot use up every attempt while the admitted ones are descheduled.
        await Parallel.ForAsync(0, 1_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (_, _) =>
        {
            while (true)
            {
                var decision = await AcquireAsync(limits);
                if (decision.Admitted)
                {
                    Interlocked.Increment(ref admitted);
                    InterlockedMax(ref inFlightPeak, decision.Levels.InFlight);
                    _counters.Charge(decision.Ticket, 0, 0, release: true);
                    return;
                }

                if (decision.RefusedBy != LimitKind.Concurrency)
                {
                    return;
                }

                await Task.Yield();
            }
        });

        Assert.Equal(100, admitted);
        Assert.InRange(inFlightPeak, 1, 7);
        Assert.Equal(0, (await _counters.PeekAsync("key", limits, default)).InFlight);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current && Interlocked.CompareExchange(ref target, value, current) is var seen && seen != current)
        {
            current = seen;
        }
    }

    private ValueTask<CounterDecision> AcquireAsync(KeyLimits limits, long estimate = 0, string key = "key") =>
        _counters.AcquireAsync(new CounterRequest(key, limits, estimate, Guid.NewGuid().ToString("N")), default);
}
