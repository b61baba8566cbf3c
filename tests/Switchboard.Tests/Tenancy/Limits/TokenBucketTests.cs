using Switchboard.Tenancy.Limits;

namespace Switchboard.Tests.Tenancy.Limits;

public sealed class TokenBucketTests
{
    [Theory]
    [InlineData(0, 60, 1, 1)]       // 60 per minute refill one per second
    [InlineData(10, 60, 30, 40)]
    [InlineData(59, 60, 10, 60)]    // never above the capacity
    [InlineData(-120, 60, 60, -60)] // an overdraft refills at the same rate
    [InlineData(0, 6000, 0.5, 50)]
    public void A_bucket_refills_continuously_at_its_limit_per_minute(double level, long capacity, double seconds, double expected) =>
        Assert.Equal(expected, TokenBucket.Refill(level, capacity, seconds), 6);

    [Theory]
    [InlineData(0, 1, 60, 1)]
    [InlineData(0.5, 1, 60, 0.5)]
    [InlineData(1, 1, 60, 0)]
    [InlineData(-600, 1, 600, 60.1)]
    [InlineData(100, 2100, 2000, 60)]
    public void The_wait_is_the_time_until_the_bucket_holds_what_is_needed(double level, double needed, long capacity, double expected) =>
        Assert.Equal(expected, TokenBucket.SecondsUntil(level, needed, capacity), 6);

    [Fact]
    public void A_limit_of_zero_never_admits() =>
        Assert.True(double.IsPositiveInfinity(TokenBucket.SecondsUntil(0, 1, 0)));

    [Theory]
    [InlineData(LimitKind.Requests, 60, 5000, 1)]
    [InlineData(LimitKind.InputTokens, 10_000, 2_500, 2_500)]
    [InlineData(LimitKind.InputTokens, 10_000, 50_000, 10_000)] // larger than the whole limit: waits for a full bucket
    [InlineData(LimitKind.InputTokens, 10_000, 0, 1)]
    [InlineData(LimitKind.OutputTokens, 8_000, 5_000, 1)]      // output is not reserved: one token left is enough
    public void What_a_request_needs_from_each_bucket(LimitKind kind, long capacity, long estimate, double expected) =>
        Assert.Equal(expected, TokenBucket.Needed(kind, capacity, estimate));

    [Theory]
    [InlineData(0, 1)]
    [InlineData(0.001, 1)]
    [InlineData(1.0, 1)]
    [InlineData(1.2, 2)]
    [InlineData(59.01, 60)]
    public void Retry_after_is_whole_seconds_rounded_up_and_at_least_one(double seconds, int expected) =>
        Assert.Equal(expected, TokenBucket.RetryAfterSeconds(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Retry_after_in_milliseconds_is_rounded_up_too() =>
        Assert.Equal(1201, TokenBucket.RetryAfterMilliseconds(TimeSpan.FromTicks(12_000_001)));

    [Fact]
    public void Full_again_after_the_missing_part_refills() =>
        Assert.Equal(15, TokenBucket.SecondsUntilFull(45, 60), 6);
}
