using System.Globalization;

namespace Switchboard.Egress.OpenAIChat;

/// <summary>Reads an HTTP <c>retry-after</c> value: delay seconds or an HTTP date.</summary>
internal static class RetryAfterHeader
{
    /// <summary>Whole seconds to wait (never negative), or null when the value is missing or unreadable.</summary>
    public static int? Seconds(string? value, TimeProvider time)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        value = value.Trim();
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds))
        {
            return (int)Math.Clamp(Math.Ceiling(seconds), 0, int.MaxValue);
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            var wait = Math.Ceiling((date - time.GetUtcNow()).TotalSeconds);
            return (int)Math.Clamp(wait, 0, int.MaxValue);
        }

        return null;
    }
}
