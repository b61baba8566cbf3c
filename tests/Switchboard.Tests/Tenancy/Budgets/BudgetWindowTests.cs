using Switchboard.Tenancy;
using Switchboard.Tenancy.Budgets;

namespace Switchboard.Tests.Tenancy.Budgets;

public sealed class BudgetWindowTests
{
    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("2026-12-31T23:59:59.999Z", "2026-12-01T00:00:00Z", "2027-01-01T00:00:00Z")]
    [InlineData("2027-01-01T00:00:00Z", "2027-01-01T00:00:00Z", "2027-02-01T00:00:00Z")]
    [InlineData("2028-02-29T12:00:00Z", "2028-02-01T00:00:00Z", "2028-03-01T00:00:00Z")]
    [InlineData("2026-12-01T01:30:00+05:00", "2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z")]
    public void A_monthly_window_is_the_UTC_calendar_month(string now, string start, string end)
    {
        var window = BudgetWindow.For(BudgetPeriod.Monthly, Utc(now));

        Assert.Equal((Utc(start), Utc(end)), (window.Start, window.End!.Value));
    }

    [Theory]
    [InlineData("2026-12-31T23:59:59.999Z", "2026-12-31T00:00:00Z", "2027-01-01T00:00:00Z")]
    [InlineData("2026-03-01T00:00:00Z", "2026-03-01T00:00:00Z", "2026-03-02T00:00:00Z")]
    [InlineData("2026-06-15T02:00:00+03:00", "2026-06-14T00:00:00Z", "2026-06-15T00:00:00Z")]
    public void A_daily_window_is_the_UTC_calendar_day(string now, string start, string end)
    {
        var window = BudgetWindow.For(BudgetPeriod.Daily, Utc(now));

        Assert.Equal((Utc(start), Utc(end)), (window.Start, window.End!.Value));
    }

    [Fact]
    public void A_total_window_never_ends_and_has_no_reset()
    {
        var window = BudgetWindow.For(BudgetPeriod.Total, Utc("2026-12-01T10:00:00Z"));

        Assert.Equal((DateTimeOffset.UnixEpoch, (DateTimeOffset?)null), (window.Start, window.End));
        Assert.Null(window.SecondsToReset(Utc("2026-12-01T10:00:00Z")));
    }

    [Theory]
    [InlineData("2026-12-31T23:59:59.999Z", 1)]
    [InlineData("2026-12-31T23:59:00Z", 60)]
    [InlineData("2026-12-31T00:00:00Z", 86_400)]
    [InlineData("2026-12-01T00:00:00Z", 31 * 86_400)]
    public void Seconds_to_reset_round_up_to_whole_seconds(string now, int seconds)
    {
        var window = BudgetWindow.For(BudgetPeriod.Monthly, Utc(now));

        Assert.Equal(seconds, window.SecondsToReset(Utc(now)));
    }
}
