using Microsoft.Extensions.Time.Testing;
using Switchboard.Egress;
using Switchboard.Routing.Pools;

namespace Switchboard.Tests.Routing.Pools;

public sealed class TargetPickerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    private TargetPicker Picker(int seed = 1) => new(1.25, new Random(seed));

    [Fact]
    public void Only_the_most_preferred_priority_with_an_available_target_gets_requests()
    {
        var primary = PoolKit.Target("primary", priority: 0);
        var fallback = PoolKit.Target("fallback", priority: 1);
        var pool = PoolKit.Pool(fallback, primary);
        var picker = Picker();

        Assert.All(Enumerable.Range(0, 50), _ => Assert.Same(primary, picker.Pick(pool, null, [], _time.GetUtcNow())));
        primary.Health.Failed(UpstreamFailureKind.Refused, null, _time.GetUtcNow());
        Assert.Same(fallback, picker.Pick(pool, null, [], _time.GetUtcNow()));
        Assert.Same(fallback, picker.Pick(pool, null, [primary], _time.GetUtcNow()));
        Assert.Null(picker.Pick(pool, null, [fallback], _time.GetUtcNow()));
    }

    [Fact]
    public void Weights_set_the_share_of_an_idle_pool()
    {
        var heavy = PoolKit.Target("heavy", weight: 3);
        var light = PoolKit.Target("light", weight: 1);
        var pool = PoolKit.Pool(heavy, light);
        var picker = Picker();

        var heavyShare = Enumerable.Range(0, 4000).Count(_ => ReferenceEquals(picker.Pick(pool, null, [], _time.GetUtcNow()), heavy)) / 4000.0;

        // Both drawn every time (two targets), equally idle, so the tie goes by weight: ¾.
        Assert.InRange(heavyShare, 0.71, 0.79);
    }

    [Fact]
    public void Of_two_drawn_targets_the_one_with_fewer_requests_in_flight_wins()
    {
        var busy = PoolKit.Target("busy");
        var idle = PoolKit.Target("idle");
        var pool = PoolKit.Pool(busy, idle);
        using var lease = busy.Health.Begin();

        Assert.All(Enumerable.Range(0, 50), _ => Assert.Same(idle, Picker().Pick(pool, null, [], _time.GetUtcNow())));
    }

    [Fact]
    public void A_burst_that_sees_the_same_stale_counts_is_not_sent_to_one_replica()
    {
        // Three replicas; one looks idlest. A burst of requests is placed before any of them is counted in flight:
        // least-loaded would send the whole burst to that one replica, the power of two choices does not.
        var targets = Enumerable.Range(0, 3).Select(i => PoolKit.Target($"r{i}")).ToArray();
        using var a = targets[1].Health.Begin();
        using var b = targets[2].Health.Begin();
        var pool = PoolKit.Pool(targets);
        var picker = Picker();

        var counts = Enumerable.Range(0, 300).Select(_ => picker.Pick(pool, null, [], _time.GetUtcNow())!).GroupBy(t => t.Upstream.Name).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(3, counts.Count);
        Assert.All(counts.Values, c => Assert.True(c < 300 * 0.75, $"one replica got {c} of 300"));
    }

    [Fact]
    public void A_cooldown_that_was_never_lifted_by_a_probe_still_ends_so_the_load_spreads_again()
    {
        var targets = Enumerable.Range(0, 3).Select(i => PoolKit.Target($"r{i}", configure: o => o.CooldownSeconds = 5)).ToArray();
        var pool = PoolKit.Pool(targets);
        targets[1].Health.Failed(UpstreamFailureKind.Refused, null, _time.GetUtcNow());
        targets[2].Health.Failed(UpstreamFailureKind.Refused, null, _time.GetUtcNow());
        var picker = Picker();
        Assert.All(Enumerable.Range(0, 30), _ => Assert.Same(targets[0], picker.Pick(pool, null, [], _time.GetUtcNow())));

        _time.Advance(TimeSpan.FromSeconds(5));

        var used = Enumerable.Range(0, 60).Select(_ => picker.Pick(pool, null, [], _time.GetUtcNow())!.Upstream.Name).Distinct().Count();
        Assert.Equal(3, used);
    }

    [Fact]
    public void A_key_always_gets_the_same_target_and_keys_spread_over_the_targets()
    {
        var pool = PoolKit.Pool([.. Enumerable.Range(0, 4).Select(i => PoolKit.Target($"r{i}"))]);
        var picker = Picker();

        var placed = Enumerable.Range(0, 400).Select(k => picker.Pick(pool, Key(k), [], _time.GetUtcNow())!).ToList();

        Assert.Equal(placed, Enumerable.Range(0, 400).Select(k => Picker(7).Pick(pool, Key(k), [], _time.GetUtcNow())!));
        Assert.All(placed.GroupBy(t => t.Upstream.Name), g => Assert.InRange(g.Count(), 60, 140));
    }

    [Fact]
    public void Losing_a_target_moves_only_its_own_keys()
    {
        var targets = Enumerable.Range(0, 4).Select(i => PoolKit.Target($"r{i}")).ToArray();
        var pool = PoolKit.Pool(targets);
        var picker = Picker();
        var before = Enumerable.Range(0, 400).Select(k => picker.Pick(pool, Key(k), [], _time.GetUtcNow())!).ToList();

        targets[2].Health.Failed(UpstreamFailureKind.Refused, null, _time.GetUtcNow());
        var after = Enumerable.Range(0, 400).Select(k => picker.Pick(pool, Key(k), [], _time.GetUtcNow())!).ToList();

        for (var k = 0; k < 400; k++)
        {
            if (ReferenceEquals(before[k], targets[2]))
            {
                Assert.NotSame(targets[2], after[k]);
            }
            else
            {
                Assert.Same(before[k], after[k]);
            }
        }
    }

    [Fact]
    public void A_keys_target_carrying_more_than_its_share_is_passed_over()
    {
        var targets = Enumerable.Range(0, 2).Select(i => PoolKit.Target($"r{i}")).ToArray();
        var pool = PoolKit.Pool(targets);
        var picker = Picker();
        var key = Key(1);
        var home = picker.Pick(pool, key, [], _time.GetUtcNow())!;
        var other = targets.Single(t => !ReferenceEquals(t, home));

        // The bound: ceil(1.25 × (in flight + 1) × ½) + 1. With 4 in flight it is 5, so home still takes the request;
        // with 5 it is 5 again, and the request goes to the other target.
        var leases = Enumerable.Range(0, 4).Select(_ => home.Health.Begin()).ToList();
        Assert.Same(home, picker.Pick(pool, key, [], _time.GetUtcNow()));
        leases.Add(home.Health.Begin());
        Assert.Same(other, picker.Pick(pool, key, [], _time.GetUtcNow()));
        leases.ForEach(l => l.Dispose());
    }

    [Fact]
    public void A_pool_of_one_target_sends_to_it_even_cooling_but_never_twice()
    {
        var only = PoolKit.Target("only");
        var pool = PoolKit.Pool(only);
        only.Health.Failed(UpstreamFailureKind.Refused, null, _time.GetUtcNow());

        Assert.Same(only, Picker().Pick(pool, null, [], _time.GetUtcNow()));
        Assert.Null(Picker().Pick(pool, null, [only], _time.GetUtcNow()));
    }

    private static ulong Key(int i) => StableHash.Of("session-" + i);
}
