using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Switchboard.Canonical;

namespace Switchboard.Egress;

/// <summary>
/// Writes texts kept as the client's JSON strings (<see cref="TextBlock.Json"/>, tool descriptions) into an upstream
/// body without turning them into .NET strings. The output is byte for byte what writing the decoded string would
/// give: when the client escaped the text exactly as the writer would (the common case: only <c>\n</c>, <c>\"</c> …,
/// everything else as UTF-8), its bytes are copied as they are; otherwise the text is unescaped into pooled UTF-8 and
/// the writer escapes it as usual. The body's text was checked once when it was read (valid UTF-8, no lone
/// surrogates), so nothing here decodes to check it again.
/// </summary>
internal static class JsonTextOut
{
    /// <summary>A JSON string value: the client's bytes when they are what the writer would write, else re-escaped.</summary>
    public static void WriteValue(Utf8JsonWriter json, JsonElement value)
    {
        var raw = JsonMarshal.GetRawUtf8Value(value);
        if (IsCanonical(raw[1..^1], json.Options.Encoder))
        {
            json.WriteRawValue(raw, skipInputValidation: true);
            return;
        }

        byte[]? rented = null;
        try
        {
            json.WriteStringValue(Unescaped(value, ref rented));
        }
        finally
        {
            Return(rented);
        }
    }

    /// <summary>One text as a JSON string value.</summary>
    public static void WriteValue(Utf8JsonWriter json, TextBlock text)
    {
        if (text.Json.ValueKind == JsonValueKind.String)
        {
            WriteValue(json, text.Json);
        }
        else
        {
            json.WriteStringValue(text.Text);
        }
    }

    /// <summary>
    /// The text blocks among <paramref name="blocks"/> joined with newlines, after <paramref name="prefix"/> (plain
    /// ASCII that needs no escaping), as one JSON string value.
    /// </summary>
    public static void WriteJoined(Utf8JsonWriter json, IReadOnlyList<ContentBlock> blocks, string? prefix)
    {
        var encoder = json.Options.Encoder;
        var count = 0;
        var length = 0;
        var allJson = true;
        var canonical = true;
        TextBlock? only = null;
        foreach (var block in blocks)
        {
            if (block is not TextBlock text)
            {
                continue;
            }

            count++;
            only = text;
            if (text.Json.ValueKind != JsonValueKind.String)
            {
                allJson = false;
                break;
            }

            var inner = JsonStrings.Inner(text.Json);
            length += inner.Length;
            canonical = canonical && IsCanonical(inner, encoder);
        }

        if (!allJson)
        {
            WriteJoinedStrings(json, blocks, prefix);
        }
        else if (!canonical)
        {
            WriteJoinedUtf8(json, blocks, prefix);
        }
        else if (count == 1 && prefix is null)
        {
            json.WriteRawValue(JsonMarshal.GetRawUtf8Value(only!.Json), skipInputValidation: true);
        }
        else
        {
            WriteJoinedRaw(json, blocks, prefix, length + count + (prefix?.Length ?? 0) + 2);
        }
    }

    /// <summary>Every text was escaped as the writer would: the value is their bytes between quotes, joined by <c>\n</c>.</summary>
    private static void WriteJoinedRaw(Utf8JsonWriter json, IReadOnlyList<ContentBlock> blocks, string? prefix, int size)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            var at = 0;
            buffer[at++] = (byte)'"';
            if (prefix is not null)
            {
                at += Encoding.ASCII.GetBytes(prefix, buffer.AsSpan(at));
            }

            var first = true;
            foreach (var block in blocks)
            {
                if (block is TextBlock text)
                {
                    if (!first)
                    {
                        buffer[at++] = (byte)'\\';
                        buffer[at++] = (byte)'n';
                    }

                    var inner = JsonStrings.Inner(text.Json);
                    inner.CopyTo(buffer.AsSpan(at));
                    at += inner.Length;
                    first = false;
                }
            }

            buffer[at++] = (byte)'"';
            json.WriteRawValue(buffer.AsSpan(0, at), skipInputValidation: true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Texts the writer must escape itself: each unescaped into pooled UTF-8 and written as a segment.</summary>
    private static void WriteJoinedUtf8(Utf8JsonWriter json, IReadOnlyList<ContentBlock> blocks, string? prefix)
    {
        if (prefix is not null)
        {
            json.WriteStringValueSegment(Encoding.ASCII.GetBytes(prefix), isFinalSegment: false);
        }

        var first = true;
        foreach (var block in blocks)
        {
            if (block is TextBlock text)
            {
                if (!first)
                {
                    json.WriteStringValueSegment("\n"u8, isFinalSegment: false);
                }

                byte[]? rented = null;
                try
                {
                    json.WriteStringValueSegment(Unescaped(text.Json, ref rented), isFinalSegment: false);
                }
                finally
                {
                    Return(rented);
                }

                first = false;
            }
        }

        json.WriteStringValueSegment(ReadOnlySpan<byte>.Empty, isFinalSegment: true);
    }

    /// <summary>Texts held as strings (made by Switchboard, or from a door that decodes): written as UTF-16.</summary>
    private static void WriteJoinedStrings(Utf8JsonWriter json, IReadOnlyList<ContentBlock> blocks, string? prefix)
    {
        var first = true;
        if (prefix is not null)
        {
            json.WriteStringValueSegment(prefix, isFinalSegment: false);
        }

        foreach (var block in blocks)
        {
            if (block is TextBlock text)
            {
                if (!first)
                {
                    json.WriteStringValueSegment("\n", isFinalSegment: false);
                }

                json.WriteStringValueSegment(text.Text, isFinalSegment: false);
                first = false;
            }
        }

        json.WriteStringValueSegment(ReadOnlySpan<char>.Empty, isFinalSegment: true);
    }

    /// <summary>The decoded UTF-8 of a JSON string: its own bytes when it has no escapes, else unescaped into a rented array.</summary>
    private static ReadOnlySpan<byte> Unescaped(JsonElement value, ref byte[]? rented)
    {
        var raw = JsonMarshal.GetRawUtf8Value(value);
        var inner = raw[1..^1];
        if (!inner.Contains((byte)'\\'))
        {
            return inner;
        }

        rented = ArrayPool<byte>.Shared.Rent(inner.Length);
        var reader = new Utf8JsonReader(raw);
        reader.Read();
        var written = reader.CopyString(rented);
        return rented.AsSpan(0, written);
    }

    private static void Return(byte[]? rented)
    {
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Whether <paramref name="inner"/> (a JSON string's bytes between the quotes) is exactly what the writer with
    /// <paramref name="encoder"/> writes for the decoded text: every byte the encoder leaves alone as it is, and
    /// every escape the one the writer uses (<c>\n \r \t \b \f \" \\</c>, else <c>\uXXXX</c> in upper case, and only
    /// for what the encoder escapes). Only the relaxed encoder the upstream writers use is recognised.
    /// </summary>
    internal static bool IsCanonical(ReadOnlySpan<byte> inner, JavaScriptEncoder? encoder)
    {
        if (!ReferenceEquals(encoder, JavaScriptEncoder.UnsafeRelaxedJsonEscaping))
        {
            return false;
        }

        var at = 0;
        while (true)
        {
            var found = encoder.FindFirstCharacterToEncodeUtf8(inner[at..]);
            if (found < 0)
            {
                return true;
            }

            at += found;
            if (inner[at] != (byte)'\\' || at + 1 >= inner.Length)
            {
                return false;
            }

            switch (inner[at + 1])
            {
                case (byte)'n' or (byte)'"' or (byte)'\\' or (byte)'t' or (byte)'r' or (byte)'b' or (byte)'f':
                    at += 2;
                    break;
                case (byte)'u':
                    if (!IsCanonicalUnicodeEscape(inner, ref at, encoder))
                    {
                        return false;
                    }

                    break;
                default:
                    return false;
            }
        }
    }

    private static bool IsCanonicalUnicodeEscape(ReadOnlySpan<byte> inner, ref int at, JavaScriptEncoder encoder)
    {
        if (!JsonStrings.TryReadUnicodeEscape(inner, at, upperCaseOnly: true, out var unit))
        {
            return false;
        }

        if (char.IsHighSurrogate(unit))
        {
            if (!JsonStrings.TryReadUnicodeEscape(inner, at + 6, upperCaseOnly: true, out var low) || !char.IsLowSurrogate(low))
            {
                return false;
            }

            at += 12;
            return encoder.WillEncode(char.ConvertToUtf32(unit, low));
        }

        // A character with a short escape is written short; a surrogate alone never reaches here (the body reader
        // replaced it); anything else is escaped this way only if the encoder escapes it.
        if (unit is '\n' or '\r' or '\t' or '\b' or '\f' or '"' or '\\' || char.IsSurrogate(unit))
        {
            return false;
        }

        at += 6;
        return encoder.WillEncode(unit);
    }
}
