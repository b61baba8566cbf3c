using Microsoft.Extensions.Time.Testing;
using Switchboard.Egress;

namespace Switchboard.Tests.Routing.Pools;

public sealed class TargetHealthTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Server_errors_cool_the_upstream_only_after_the_threshold_in_a_row()
    {
        var health = PoolKit.Health("a", o => o.FailureThreshold = 3);

        Assert.Null(health.Failed(UpstreamFailureKind.ServerError, null, _time.GetUtcNow()));
        Assert.Null(health.Failed(UpstreamFailureKind.Reset, null, _time.GetUtcNow()));
        Assert.True(health.IsAvailable(_time.GetUtcNow()));
        Assert.Equal(TimeSpan.FromSeconds(5), health.Failed(UpstreamFailureKind.TimedOutBeforeHeaders, null, _time.GetUtcNow()));
        Assert.False(health.IsAvailable(_time.GetUtcNow()));
        Assert.Equal("cooling", health.Report(_time.GetUtcNow()).State);
    }

    [Fact]
    public void A_success_between_failures_starts_the_count_again()
    {
        var health = PoolKit.Health("a", o => o.FailureThreshold = 2);

        health.Failed(UpstreamFailureKind.ServerError, null, _time.GetUtcNow());
        health.Succeeded();
        Assert.Null(health.Failed(UpstreamFailureKind.ServerError, null, _time.GetUtcNow()));
        Assert.True(health.IsAvailable(_time.GetUtcNow()));
    }

    [Theory]
    [InlineData(UpstreamFailureKind.Refused)]
    [InlineData(UpstreamFailureKind.Unreachable)]
    [InlineData(UpstreamFailureKind.RateLimited)]
    [InlineData(UpstreamFailureKind.Overloaded)]
    public void Refusals_and_overload_cool_the_upstream_at_once(UpstreamFailureKind kind)
    {
        var health = PoolKit.Health("a");

        Assert.NotNull(health.Failed(kind, null, _time.GetUtcNow()));
        Assert.False(health.IsAvailable(_time.GetUtcNow()));
    }

    [Fact]
    public void Each_cooldown_without_a_success_between_doubles_up_to_the_limit_and_ends_by_itself()
    {
        var health = PoolKit.Health("a", o => { o.CooldownSeconds = 5; o.MaxCooldownSeconds = 30; });
        var cooldowns = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            cooldowns.Add(health.Failed(UpstreamFailureKind.Refused, null, _time.GetUtcNow())!.Value.TotalSeconds);
            Assert.False(health.IsAvailable(_time.GetUtcNow()));
            _time.Advance(TimeSpan.FromSeconds(cooldowns[^1]));
            Assert.True(health.IsAvailable(_time.GetUtcNow()));
            Assert.Equal("unknown", health.Report(_time.GetUtcNow()).State);
        }

        Assert.Equal([5, 10, 20, 30, 30], cooldowns);
        health.Succeeded();
        Assert.Equal(5, health.Failed(UpstreamFailureKind.Refused, null, _time.GetUtcNow())!.Value.TotalSeconds);
    }

    [Fact]
    public void Right_after_a_cooldown_one_failure_is_enough_to_cool_it_again()
    {
        var health = PoolKit.Health("a", o => o.FailureThreshold = 3);
        health.Failed(UpstreamFailureKind.Refused, null, _time.GetUtcNow());
        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(TimeSpan.FromSeconds(10), health.Failed(UpstreamFailureKind.ServerError, null, _time.GetUtcNow()));
    }

    [Fact]
    public void A_retry_after_longer_than_the_backoff_sets_the_cooldown()
    {
        var health = PoolKit.Health("a", o => { o.CooldownSeconds = 5; o.MaxCooldownSeconds = 60; });

        Assert.Equal(TimeSpan.FromSeconds(20), health.Failed(UpstreamFailureKind.RateLimited, 20, _time.GetUtcNow()));
        Assert.Equal(_time.GetUtcNow().AddSeconds(20), health.Report(_time.GetUtcNow()).Until);
    }

    [Fact]
    public void A_probe_ends_a_cooldown_early_but_not_before_the_upstreams_retry_after()
    {
        var health = PoolKit.Health("a", o => { o.CooldownSeconds = 30; o.MaxCooldownSeconds = 60; });
        health.Failed(UpstreamFailureKind.RateLimited, 10, _time.GetUtcNow());

        Assert.False(health.ProbeSucceeded(_time.GetUtcNow()));
        Assert.False(health.IsAvailable(_time.GetUtcNow()));
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(health.ProbeSucceeded(_time.GetUtcNow()));
        Assert.True(health.IsAvailable(_time.GetUtcNow()));
        Assert.Equal("healthy", health.Report(_time.GetUtcNow()).State);
    }

    [Fact]
    public void A_failed_probe_puts_the_upstream_down_until_a_probe_succeeds()
    {
        var health = PoolKit.Health("a", o => { o.CooldownSeconds = 30; o.MaxCooldownSeconds = 60; });

        Assert.Equal(TimeSpan.FromSeconds(30), health.ProbeFailed("refused", _time.GetUtcNow()));
        Assert.Null(health.ProbeFailed("refused", _time.GetUtcNow()));
        var report = health.Report(_time.GetUtcNow());
        Assert.Equal(("down", "refused"), (report.State, report.LastFailure));
        Assert.True(health.ProbeSucceeded(_time.GetUtcNow()));
        Assert.True(health.IsAvailable(_time.GetUtcNow()));
    }

    [Fact]
    public void Requests_in_flight_count_until_their_lease_ends_once()
    {
        var health = PoolKit.Health("a");
        var first = health.Begin();
        using var second = health.Begin();

        Assert.Equal(2, health.InFlight);
        first.Dispose();
        first.Dispose();
        Assert.Equal(1, health.InFlight);
    }
}
