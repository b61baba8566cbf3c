using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Switchboard.Canonical;

/// <summary>Facts about a JSON string value read from its raw UTF-8 (escapes included), without decoding it.</summary>
public static class JsonStrings
{
    /// <summary>The bytes between the quotes, escapes as sent.</summary>
    public static ReadOnlySpan<byte> Inner(JsonElement value)
    {
        var raw = JsonMarshal.GetRawUtf8Value(value);
        return raw[1..^1];
    }

    /// <summary>The decoded string's length in UTF-16 code units; 0 for anything but a string.</summary>
    public static int Utf16Length(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return 0;
        }

        var inner = Inner(value);
        var length = Encoding.UTF8.GetCharCount(inner);

        // Each escape is ASCII counted one char per byte; it decodes to one UTF-16 unit (\uXXXX: 6 bytes, others 2).
        var at = inner.IndexOf((byte)'\\');
        while (at >= 0)
        {
            var size = inner[at + 1] == (byte)'u' ? 6 : 2;
            length -= size - 1;
            var next = at + size;
            var following = next < inner.Length ? inner[next..].IndexOf((byte)'\\') : -1;
            at = following < 0 ? -1 : next + following;
        }

        return length;
    }

    /// <summary>
    /// Reads the escape <c>\uXXXX</c> at <paramref name="at"/> of a JSON string's raw bytes. With
    /// <paramref name="upperCaseOnly"/>, lower-case hex digits do not count (the form Switchboard's writer uses).
    /// </summary>
    public static bool TryReadUnicodeEscape(ReadOnlySpan<byte> json, int at, bool upperCaseOnly, out char unit)
    {
        unit = default;
        if (at + 6 > json.Length || json[at] != (byte)'\\' || json[at + 1] != (byte)'u')
        {
            return false;
        }

        var value = 0;
        foreach (var digit in json.Slice(at + 2, 4))
        {
            var nibble = digit switch
            {
                >= (byte)'0' and <= (byte)'9' => digit - '0',
                >= (byte)'A' and <= (byte)'F' => digit - 'A' + 10,
                >= (byte)'a' and <= (byte)'f' when !upperCaseOnly => digit - 'a' + 10,
                _ => -1,
            };
            if (nibble < 0)
            {
                return false;
            }

            value = (value << 4) | nibble;
        }

        unit = (char)value;
        return true;
    }
}
