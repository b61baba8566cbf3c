using System.Text;

namespace Switchboard.ServerTools;

/// <summary>
/// Turns the model's citation markers (<c>[3]</c>, <c>[1, 2]</c>) in streamed text into citations: a marker whose
/// numbers all name known results is taken out of the text (with the space before it) and each number reported;
/// anything else, a link's <c>[text]</c> or a number no result has, stays text. Text that could still be the start
/// of a marker, and trailing spaces, are held until the next piece decides them, so a marker split across deltas is
/// found too. Deterministic and cheap; it cannot tell which words a marker covers (see docs/SERVER_TOOLS.md).
/// </summary>
internal sealed class CitationMarkers(Func<int, bool> known)
{
    private const int LongestMarker = 24;
    private readonly StringBuilder _pending = new();
    private readonly StringBuilder _spaces = new();
    private readonly StringBuilder _out = new();
    private readonly List<int> _numbers = [];

    /// <summary>Feeds a piece of text; <paramref name="emit"/> gets the text to show and <paramref name="cite"/> each cited number, in order.</summary>
    public void Feed(ReadOnlySpan<char> text, Action<string> emit, Action<int> cite)
    {
        foreach (var c in text)
        {
            if (_pending.Length > 0)
            {
                _pending.Append(c);
                if (c == ']')
                {
                    Decide(emit, cite);
                }
                else if (!(char.IsAsciiDigit(c) || c == ',' || c == ' ') || _pending.Length > LongestMarker)
                {
                    // Not a marker after all: it is text (a new '[' inside starts over).
                    _out.Append(_spaces).Append(_pending);
                    _spaces.Clear();
                    _pending.Clear();
                }

                continue;
            }

            if (c == '[')
            {
                _pending.Append(c);
            }
            else if (c == ' ')
            {
                _spaces.Append(c);
            }
            else
            {
                _out.Append(_spaces).Append(c);
                _spaces.Clear();
            }
        }

        Emit(emit);
    }

    /// <summary>The end of the block: what is held is text.</summary>
    public void Flush(Action<string> emit)
    {
        _out.Append(_spaces).Append(_pending);
        _spaces.Clear();
        _pending.Clear();
        Emit(emit);
    }

    private void Decide(Action<string> emit, Action<int> cite)
    {
        _numbers.Clear();
        var inner = _pending.ToString(1, _pending.Length - 2);
        foreach (var part in inner.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) || !known(number))
            {
                _numbers.Clear();
                break;
            }

            _numbers.Add(number);
        }

        if (_numbers.Count == 0)
        {
            _out.Append(_spaces).Append(_pending);
        }
        else
        {
            // The text before the marker goes out first, so the citation lands on the block that holds it.
            Emit(emit);
            foreach (var number in _numbers)
            {
                cite(number);
            }
        }

        _spaces.Clear();
        _pending.Clear();
    }

    private void Emit(Action<string> emit)
    {
        if (_out.Length > 0)
        {
            emit(_out.ToString());
            _out.Clear();
        }
    }
}
