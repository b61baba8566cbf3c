using System.Text;

namespace Switchboard.Telemetry;

/// <summary>
/// Makes a client-supplied value (a model name, block type, id, reader note) safe for a log line: at most
/// <see cref="MaxLength"/> characters, control characters escaped, so a request cannot forge or flood log lines.
/// </summary>
public static class LogValue
{
    public const int MaxLength = 200;

    private static readonly System.Buffers.SearchValues<char> Unsafe = System.Buffers.SearchValues.Create(
        Enumerable.Range(0, 0x20).Select(c => (char)c).Concat(Enumerable.Range(0x7f, 0x21).Select(c => (char)c))
            .Concat(['\u2028', '\u2029']).ToArray());

    /// <summary>The value as it may be logged; the same string when it is already safe (the common case, no allocation).</summary>
    public static string? Clip(string? value)
    {
        if (value is null || (value.Length <= MaxLength && !value.AsSpan().ContainsAny(Unsafe)))
        {
            return value;
        }

        var span = value.AsSpan(0, Math.Min(value.Length, MaxLength));
        var builder = new StringBuilder(span.Length + 16);
        foreach (var c in span)
        {
            if (Unsafe.Contains(c))
            {
                builder.Append(c switch
                {
                    '\n' => "\\n",
                    '\r' => "\\r",
                    '\t' => "\\t",
                    _ => $"\\u{(int)c:x4}",
                });
            }
            else
            {
                builder.Append(c);
            }
        }

        if (value.Length > MaxLength)
        {
            builder.Append('…');
        }

        return builder.ToString();
    }
}
