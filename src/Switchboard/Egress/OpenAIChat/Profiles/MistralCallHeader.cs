namespace Switchboard.Egress.OpenAIChat.Profiles;

/// <summary>
/// Reads what comes between Mistral's <c>[TOOL_CALLS]</c> and a call's JSON: an array's opening bracket (before v11),
/// or <c>NAME[ARGS]</c> / <c>NAME[CALL_ID]ID[ARGS]</c> (v11 and later), or a bare <c>NAME</c> where a server dropped
/// <c>[ARGS]</c>.
/// </summary>
internal static class MistralCallHeader
{
    private const string ArgsMarker = "[ARGS]";
    private const string CallIdMarker = "[CALL_ID]";

    public enum Result
    {
        /// <summary>Could still become a header: wait for more text.</summary>
        Incomplete,

        /// <summary>Not a call: the marker was text.</summary>
        Malformed,

        /// <summary>The JSON starts at the returned position.</summary>
        Complete,
    }

    /// <summary>Reads <paramref name="raw"/> (the text after the marker); no name means the JSON is an array of calls.</summary>
    public static Result Read(ReadOnlySpan<char> raw, out int jsonStart, out string? name, out string? id)
    {
        jsonStart = -1;
        name = id = null;
        var at = SkipWhitespace(raw, 0);
        if (at == raw.Length)
        {
            return Result.Incomplete;
        }

        if (raw[at] == '[')
        {
            var first = SkipWhitespace(raw, at + 1);
            jsonStart = at;
            return first == raw.Length ? Result.Incomplete : raw[first] is '{' or ']' ? Result.Complete : Result.Malformed;
        }

        var nameEnd = at;
        while (nameEnd < raw.Length && (char.IsAsciiLetterOrDigit(raw[nameEnd]) || raw[nameEnd] is '_' or '-' or '.'))
        {
            nameEnd++;
        }

        if (nameEnd == raw.Length)
        {
            return Result.Incomplete;
        }

        if (nameEnd == at)
        {
            return Result.Malformed;
        }

        name = raw[at..nameEnd].ToString();
        var rest = raw[nameEnd..];
        var argsAt = nameEnd;
        if (rest.StartsWith(CallIdMarker, StringComparison.Ordinal))
        {
            var idStart = nameEnd + CallIdMarker.Length;
            var idEnd = idStart;
            while (idEnd < raw.Length && char.IsAsciiLetterOrDigit(raw[idEnd]))
            {
                idEnd++;
            }

            if (idEnd == raw.Length)
            {
                return Result.Incomplete;
            }

            if (idEnd == idStart)
            {
                return Result.Malformed;
            }

            id = raw[idStart..idEnd].ToString();
            argsAt = idEnd;
            rest = raw[idEnd..];
            if (!rest.StartsWith(ArgsMarker, StringComparison.Ordinal))
            {
                return ArgsMarker.AsSpan().StartsWith(rest) ? Result.Incomplete : Result.Malformed;
            }
        }

        if (rest.StartsWith(ArgsMarker, StringComparison.Ordinal))
        {
            argsAt += ArgsMarker.Length;
        }
        else if (ArgsMarker.AsSpan().StartsWith(rest) || CallIdMarker.AsSpan().StartsWith(rest))
        {
            return Result.Incomplete;
        }
        else if (rest[0] != '{')
        {
            // Servers that drop [ARGS] leave the JSON right after the name; anything else is not a call.
            return Result.Malformed;
        }

        jsonStart = SkipWhitespace(raw, argsAt);
        return jsonStart == raw.Length ? Result.Incomplete : raw[jsonStart] == '{' ? Result.Complete : Result.Malformed;
    }

    private static int SkipWhitespace(ReadOnlySpan<char> text, int at)
    {
        while (at < text.Length && char.IsWhiteSpace(text[at]))
        {
            at++;
        }

        return at;
    }
}
