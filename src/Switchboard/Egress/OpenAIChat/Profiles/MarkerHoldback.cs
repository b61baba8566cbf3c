namespace Switchboard.Egress.OpenAIChat.Profiles;

/// <summary>
/// How much of the end of some streamed text might be the beginning of a marker (a tag such as <c>&lt;think&gt;</c>
/// or <c>&lt;tool_call&gt;</c>) and so must be held back until the next chunk shows whether it is one.
/// Everything before that can be released at once.
/// </summary>
public static class MarkerHoldback
{
    /// <summary>
    /// The length of the longest suffix of <paramref name="text"/> that is a proper prefix of any of
    /// <paramref name="markers"/>. Zero when the text cannot be the start of a marker.
    /// </summary>
    public static int Length(ReadOnlySpan<char> text, ReadOnlySpan<string> markers)
    {
        var longest = 0;
        foreach (var marker in markers)
        {
            var max = Math.Min(marker.Length - 1, text.Length);
            for (var length = max; length > longest; length--)
            {
                if (text[^length..].SequenceEqual(marker.AsSpan(0, length)))
                {
                    longest = length;
                    break;
                }
            }
        }

        return longest;
    }

    /// <summary>Where the earliest of <paramref name="markers"/> starts in <paramref name="text"/>, or -1.</summary>
    public static int IndexOfAny(ReadOnlySpan<char> text, ReadOnlySpan<string> markers, out string? found)
    {
        var best = -1;
        found = null;
        foreach (var marker in markers)
        {
            var at = text.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0 && (best < 0 || at < best))
            {
                best = at;
                found = marker;
            }
        }

        return best;
    }
}
