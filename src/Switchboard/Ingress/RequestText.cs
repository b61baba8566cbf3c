using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Switchboard.Canonical;

namespace Switchboard.Ingress;

/// <summary>
/// Text checks made once on the raw body, before any field is read, so that no string in the request can fail to
/// decode later. The two faults are treated differently (see docs/MESSAGES_API.md):
/// <list type="bullet">
/// <item>An unpaired surrogate escape (<c>"\ud800"</c>) is well-formed JSON that JavaScript clients produce when they
/// cut a string between the two halves of an emoji (Claude Code does this when it truncates a file or command
/// output). It is replaced with <c>\ufffd</c> (U+FFFD) in place: refusing it would fail every later turn of the
/// conversation, which replays the same text.</item>
/// <item>Bytes that are not UTF-8 are not JSON at all (RFC 8259 §8.1): a client's encoding bug, refused with a 400
/// that names the field, so it is found and fixed rather than silently turned into other text.</item>
/// </list>
/// </summary>
internal static class RequestText
{
    /// <summary>Rewrites each unpaired <c>\uD800</c>-<c>\uDFFF</c> escape as <c>\uFFFD</c> (same length); returns how many.</summary>
    public static int ReplaceLoneSurrogates(Span<byte> json)
    {
        var replaced = 0;
        var at = json.IndexOf((byte)'\\');
        while (at >= 0)
        {
            // `at` starts an escape: every backslash in valid JSON is in a string and either starts an escape or is
            // the escaped character, which is skipped with its escape below.
            var next = at + 2;
            if (JsonStrings.TryReadUnicodeEscape(json, at, upperCaseOnly: false, out var unit))
            {
                next = at + 6;
                if (char.IsHighSurrogate(unit) && JsonStrings.TryReadUnicodeEscape(json, next, upperCaseOnly: false, out var low) && char.IsLowSurrogate(low))
                {
                    next += 6;
                }
                else if (char.IsSurrogate(unit))
                {
                    "ufffd"u8.CopyTo(json[(at + 1)..]);
                    replaced++;
                }
            }

            if (next >= json.Length)
            {
                break;
            }

            var following = json[next..].IndexOf((byte)'\\');
            at = following < 0 ? -1 : next + following;
        }

        return replaced;
    }

    /// <summary>The offset of the first byte that is not UTF-8, or null when all of it is.</summary>
    public static int? FindInvalidUtf8(ReadOnlySpan<byte> json)
    {
        if (Utf8.IsValid(json))
        {
            return null;
        }

        var scratch = ArrayPool<char>.Shared.Rent(4096);
        try
        {
            var offset = 0;
            while (true)
            {
                var status = Utf8.ToUtf16(json[offset..], scratch, out var read, out _, replaceInvalidSequences: false);
                offset += read;
                if (status != OperationStatus.DestinationTooSmall)
                {
                    return status == OperationStatus.Done ? null : offset;
                }
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(scratch);
        }
    }

    /// <summary>
    /// The path (<c>messages.3.content.0.text</c>) of the string holding byte <paramref name="offset"/> of the body
    /// <paramref name="json"/> that <paramref name="root"/> was parsed from; "" for the body itself, null if no string
    /// holds it. Only called for a request about to be refused, so it may take its time.
    /// </summary>
    public static string? PathAt(JsonElement root, ReadOnlyMemory<byte> json, int offset)
    {
        var path = new List<string>();
        return Find(root, json.Span, offset, path) ? string.Join('.', path) : null;
    }

    private static bool Find(JsonElement element, ReadOnlySpan<byte> json, int offset, List<string> path)
    {
        if (!Holds(json, JsonMarshal.GetRawUtf8Value(element), offset))
        {
            return false;
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var name = JsonMarshal.GetRawUtf8PropertyName(property);
                    if (Holds(json, name, offset))
                    {
                        // The name itself is the bad string: name it as well as it can be read.
                        path.Add(Encoding.UTF8.GetString(name));
                        return true;
                    }

                    path.Add(Encoding.UTF8.GetString(name));
                    if (Find(property.Value, json, offset, path))
                    {
                        return true;
                    }

                    path.RemoveAt(path.Count - 1);
                }

                return false;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    path.Add(index.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    if (Find(item, json, offset, path))
                    {
                        return true;
                    }

                    path.RemoveAt(path.Count - 1);
                    index++;
                }

                return false;
            default:
                return element.ValueKind == JsonValueKind.String;
        }
    }

    /// <summary>Whether <paramref name="part"/> (a slice of <paramref name="json"/>) covers <paramref name="offset"/>.</summary>
    private static bool Holds(ReadOnlySpan<byte> json, ReadOnlySpan<byte> part, int offset) =>
        json.Overlaps(part, out var start) && offset >= start - 1 && offset <= start + part.Length;
}
