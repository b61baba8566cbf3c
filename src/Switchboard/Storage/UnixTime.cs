namespace Switchboard.Storage;

/// <summary>Timestamps as stored: BIGINT milliseconds since the Unix epoch, UTC.</summary>
internal static class UnixTime
{
    public const long MsPerDay = 86_400_000;

    public static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static long? Ms(DateTimeOffset? time) => time?.ToUnixTimeMilliseconds();

    public static DateTimeOffset From(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    public static DateTimeOffset? From(long? ms) => ms is { } value ? DateTimeOffset.FromUnixTimeMilliseconds(value) : null;

    /// <summary>The start of the UTC day holding <paramref name="ms"/> (floor, also before 1970).</summary>
    public static long DayOf(long ms) => Math.DivRem(ms, MsPerDay) is var (q, r) && r < 0 ? (q - 1) * MsPerDay : q * MsPerDay;

    public static bool IsDayStart(long ms) => DayOf(ms) == ms;
}
