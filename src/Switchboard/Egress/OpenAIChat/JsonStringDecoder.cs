using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace Switchboard.Egress.OpenAIChat;

/// <summary>
/// Turns JSON string tokens and raw JSON values into characters in one reusable buffer, so per-token content
/// reaches its target without a string being built for it. One instance per message; each result is valid only
/// until the next call.
/// </summary>
/// <remarks>
/// Invalid UTF-8 (a detokenizer can cut a character in half) becomes U+FFFD instead of failing the message, which
/// is why escapes are undone here rather than by <see cref="Utf8JsonReader.CopyString(Span{char})"/>.
/// </remarks>
internal sealed class JsonStringDecoder
{
    private char[] _chars = new char[256];

    /// <summary>Decodes a complete JSON string token (quotes included) that a reader has already validated.</summary>
    public ReadOnlySpan<char> DecodeString(ReadOnlySpan<byte> token)
    {
        var reader = new Utf8JsonReader(token);
        reader.Read();
        return reader.ValueIsEscaped ? Unescape(reader.ValueSpan) : DecodeUtf8(reader.ValueSpan);
    }

    public ReadOnlySpan<char> DecodeUtf8(ReadOnlySpan<byte> utf8)
    {
        var buffer = Rent(utf8.Length);
        return buffer[..Encoding.UTF8.GetChars(utf8, buffer)];
    }

    private ReadOnlySpan<char> Unescape(ReadOnlySpan<byte> escaped)
    {
        // Text never gets longer, in chars, than its escaped UTF-8 form.
        var buffer = Rent(escaped.Length);
        var written = 0;
        while (true)
        {
            // A backslash is ASCII, so it never falls inside a multi-byte character.
            var backslash = escaped.IndexOf((byte)'\\');
            written += Encoding.UTF8.GetChars(backslash < 0 ? escaped : escaped[..backslash], buffer[written..]);
            if (backslash < 0)
            {
                return buffer[..written];
            }

            var kind = escaped[backslash + 1];
            if (kind == (byte)'u')
            {
                // Each \uXXXX is one UTF-16 unit; surrogate pairs arrive as two of them.
                Utf8Parser.TryParse(escaped.Slice(backslash + 2, 4), out ushort unit, out _, 'X');
                buffer[written++] = (char)unit;
                escaped = escaped[(backslash + 6)..];
                continue;
            }

            buffer[written++] = kind switch
            {
                (byte)'n' => '\n',
                (byte)'t' => '\t',
                (byte)'r' => '\r',
                (byte)'b' => '\b',
                (byte)'f' => '\f',
                _ => (char)kind, // \" \\ \/
            };
            escaped = escaped[(backslash + 2)..];
        }
    }

    private Span<char> Rent(int length)
    {
        if (_chars.Length < length)
        {
            _chars = new char[Math.Max(length, _chars.Length * 2)];
        }

        return _chars;
    }
}
