using System.Globalization;
using Switchboard.Tenancy.Keys;

namespace Switchboard.Tenancy.Admin;

/// <summary>
/// Reads the usage filters the admin API, <c>GET /v1/usage</c> and the command line share: <c>group_by</c>
/// (<c>key</c>, <c>model</c>, <c>day</c>) and <c>from</c>/<c>to</c> as UTC days, both included. Problems name the field.
/// </summary>
public static class UsageRange
{
    public static UsageGrouping Grouping(string? value, string field, bool keyAllowed = true) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "model" => UsageGrouping.Model,
        "day" => UsageGrouping.Day,
        "key" when keyAllowed => UsageGrouping.Key,
        _ => throw new KeyProblemException(field, $"'{Clip(value)}' is not a grouping; use {(keyAllowed ? "key, model or day" : "model or day")}"),
    };

    /// <summary>The query for a day range: <c>From</c> is the start of <paramref name="from"/>, <c>To</c> the end of <paramref name="to"/>.</summary>
    public static UsageQuery Query(UsageGrouping grouping, string? keyId, string? from, string? to, string fromField = "from", string toField = "to")
    {
        var start = Day(from, fromField);
        var end = Day(to, toField)?.AddDays(1);
        if (start is not null && end is not null && end <= start)
        {
            throw new KeyProblemException(toField, "must not be before the start day");
        }

        return new UsageQuery(grouping, keyId, start, end);
    }

    private static DateTimeOffset? Day(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (!DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            throw new KeyProblemException(field, $"'{Clip(value)}' is not a day; use YYYY-MM-DD (UTC)");
        }

        return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
    }

    /// <summary>The client's value, shortened and without control characters, for a message.</summary>
    public static string Clip(string? value)
    {
        var text = value ?? "";
        text = text.Length > 60 ? text[..60] + "…" : text;
        return new string(text.Select(c => char.IsControl(c) ? '?' : c).ToArray());
    }
}
