using System.Globalization;
using System.Text;

namespace Switchboard.Ingress;

/// <summary>
/// Formats a duration the way Go's <c>time.Duration.String</c> does, which OpenAI's <c>x-ratelimit-reset-*</c>
/// headers use: <c>0s</c>, <c>12ms</c>, <c>1s</c>, <c>1m30.5s</c>, <c>6m0s</c>, <c>2h0m0s</c>. Below a second
/// the unit is ms, µs or ns with the fraction trimmed; from a second on, hours and minutes lead whole and the
/// seconds keep their fraction (trailing zeros trimmed).
/// </summary>
public static class GoDuration
{
    private const long NanosPerMicro = 1_000;
    private const long NanosPerMilli = 1_000_000;
    private const long NanosPerSecond = 1_000_000_000;

    public static string Format(TimeSpan duration)
    {
        // TimeSpan's resolution is 100 ns; Go's is 1 ns.
        var nanos = duration.Ticks * 100;
        if (nanos == 0)
        {
            return "0s";
        }

        var text = new StringBuilder(16);
        if (nanos < 0)
        {
            text.Append('-');
            nanos = -nanos;
        }

        if (nanos < NanosPerMicro)
        {
            return text.Append(nanos.ToString(CultureInfo.InvariantCulture)).Append("ns").ToString();
        }

        if (nanos < NanosPerMilli)
        {
            return AppendFraction(text, nanos, NanosPerMicro).Append("µs").ToString();
        }

        if (nanos < NanosPerSecond)
        {
            return AppendFraction(text, nanos, NanosPerMilli).Append("ms").ToString();
        }

        var seconds = nanos / NanosPerSecond;
        var hours = seconds / 3600;
        var minutes = seconds / 60 % 60;
        if (hours > 0)
        {
            text.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
        }

        if (hours > 0 || minutes > 0)
        {
            text.Append(minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        }

        return AppendFraction(text, (seconds % 60 * NanosPerSecond) + (nanos % NanosPerSecond), NanosPerSecond).Append('s').ToString();
    }

    /// <summary><paramref name="value"/> in <paramref name="unit"/>s, with as many decimals as it needs.</summary>
    private static StringBuilder AppendFraction(StringBuilder text, long value, long unit)
    {
        text.Append((value / unit).ToString(CultureInfo.InvariantCulture));
        var rest = value % unit;
        if (rest == 0)
        {
            return text;
        }

        var digits = unit.ToString(CultureInfo.InvariantCulture).Length - 1;
        var fraction = rest.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0');
        return text.Append('.').Append(fraction);
    }
}
