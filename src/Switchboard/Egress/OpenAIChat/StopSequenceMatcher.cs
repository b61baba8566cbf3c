using System.Text;

namespace Switchboard.Egress.OpenAIChat;

/// <summary>
/// Finds the request's stop sequences in the answer text as it streams, for servers that do not say which one
/// ended generation. Text that could be the start of a stop sequence is held back until the next piece shows
/// whether it is; the stop sequence itself is never passed on, as the Messages API leaves it out of the answer.
/// </summary>
internal sealed class StopSequenceMatcher(IReadOnlyList<string> stopSequences)
{
    private readonly StringBuilder _held = new();

    /// <summary>The stop sequence found, once one has been.</summary>
    public string? Matched { get; private set; }

    /// <summary>
    /// Takes the next piece of text and returns what can be passed on: everything before a stop sequence, or
    /// everything that cannot be the start of one. After a match, returns nothing more.
    /// </summary>
    public string Feed(ReadOnlySpan<char> text)
    {
        if (Matched is not null)
        {
            return "";
        }

        _held.Append(text);
        var combined = _held.ToString();
        var (index, matched) = FirstMatch(combined);
        if (matched is not null)
        {
            Matched = matched;
            _held.Clear();
            return combined[..index];
        }

        var keep = LongestPrefixSuffix(combined);
        _held.Clear().Append(combined, combined.Length - keep, keep);
        return combined[..^keep];
    }

    /// <summary>The text held back at the end of the answer, which turned out not to be a stop sequence.</summary>
    public string TakeHeld()
    {
        var rest = _held.ToString();
        _held.Clear();
        return rest;
    }

    /// <summary>The earliest stop sequence in the text; of two starting at the same place, the longer.</summary>
    private (int Index, string? Matched) FirstMatch(string text)
    {
        var best = -1;
        string? matched = null;
        foreach (var stop in stopSequences)
        {
            if (stop.Length == 0)
            {
                continue;
            }

            var index = text.IndexOf(stop, StringComparison.Ordinal);
            if (index >= 0 && (best < 0 || index < best || (index == best && stop.Length > matched!.Length)))
            {
                best = index;
                matched = stop;
            }
        }

        return (best, matched);
    }

    /// <summary>The length of the longest end of the text that is a proper start of some stop sequence.</summary>
    private int LongestPrefixSuffix(string text)
    {
        var longest = 0;
        foreach (var stop in stopSequences)
        {
            for (var length = Math.Min(stop.Length - 1, text.Length); length > longest; length--)
            {
                if (text.AsSpan(text.Length - length).SequenceEqual(stop.AsSpan(0, length)))
                {
                    longest = length;
                    break;
                }
            }
        }

        return longest;
    }
}
