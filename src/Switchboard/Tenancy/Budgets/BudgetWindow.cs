namespace Switchboard.Tenancy.Budgets;

/// <summary>
/// The stretch of time a budget's spend is counted over: a UTC calendar month or day, or everything since the start
/// of time for a <see cref="BudgetPeriod.Total"/> budget. The start names the window, so a new period needs no reset
/// job: it simply has no spend yet.
/// </summary>
public readonly record struct BudgetWindow(BudgetPeriod Period, DateTimeOffset Start, DateTimeOffset? End)
{
    /// <summary>The window of <paramref name="period"/> that holds <paramref name="now"/>.</summary>
    public static BudgetWindow For(BudgetPeriod period, DateTimeOffset now)
    {
        var utc = now.ToUniversalTime();
        return period switch
        {
            BudgetPeriod.Monthly => Month(utc),
            BudgetPeriod.Daily => new BudgetWindow(period, new DateTimeOffset(utc.Year, utc.Month, utc.Day, 0, 0, 0, TimeSpan.Zero),
                new DateTimeOffset(utc.Year, utc.Month, utc.Day, 0, 0, 0, TimeSpan.Zero).AddDays(1)),
            _ => new BudgetWindow(BudgetPeriod.Total, DateTimeOffset.UnixEpoch, null),
        };
    }

    /// <summary>Whole seconds from <paramref name="now"/> until the window ends (at least 1); null when it never does.</summary>
    public int? SecondsToReset(DateTimeOffset now) =>
        End is { } end ? (int)Math.Clamp(Math.Ceiling((end - now).TotalSeconds), 1, int.MaxValue) : null;

    private static BudgetWindow Month(DateTimeOffset utc)
    {
        var start = new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero);
        return new BudgetWindow(BudgetPeriod.Monthly, start, start.AddMonths(1));
    }
}
