using Switchboard.Ingress;

namespace Switchboard.Tests.Ingress;

public sealed class GoDurationTests
{
    [Theory]
    [InlineData(0, "0s")]
    [InlineData(12, "12ms")]
    [InlineData(1000, "1s")]
    [InlineData(1500, "1.5s")]
    [InlineData(90_500, "1m30.5s")]
    [InlineData(360_000, "6m0s")]
    [InlineData(179_560, "2m59.56s")]
    [InlineData(7_200_000, "2h0m0s")]
    [InlineData(3_661_001, "1h1m1.001s")]
    [InlineData(59_999, "59.999s")]
    [InlineData(100.5, "100.5ms")]
    public void Durations_are_written_as_Go_writes_them(double milliseconds, string expected) =>
        Assert.Equal(expected, GoDuration.Format(TimeSpan.FromMilliseconds(milliseconds)));

    [Fact]
    public void Below_a_millisecond_Go_uses_microseconds_and_nanoseconds()
    {
        Assert.Equal("1.5µs", GoDuration.Format(TimeSpan.FromTicks(15)));
        Assert.Equal("100ns", GoDuration.Format(TimeSpan.FromTicks(1)));
    }
}
