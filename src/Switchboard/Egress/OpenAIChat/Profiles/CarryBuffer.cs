namespace Switchboard.Egress.OpenAIChat.Profiles;

/// <summary>
/// Characters a parser held back from the end of one chunk (a possible marker start), joined with the next chunk so
/// a marker split anywhere is seen whole. Reuses one buffer, so nothing is allocated per chunk.
/// </summary>
public sealed class CarryBuffer
{
    private char[] _chars = new char[64];
    private int _length;

    public bool IsEmpty => _length == 0;

    /// <summary>
    /// The held characters followed by <paramref name="content"/>, as one span valid until the next call; the carry
    /// is empty afterwards.
    /// </summary>
    public ReadOnlySpan<char> Join(ReadOnlySpan<char> content)
    {
        if (_length == 0)
        {
            return content;
        }

        var total = _length + content.Length;
        Grow(total);
        content.CopyTo(_chars.AsSpan(_length));
        _length = 0;
        return _chars.AsSpan(0, total);
    }

    /// <summary>Holds <paramref name="tail"/>, which may be a piece of the span <see cref="Join"/> returned.</summary>
    public void Hold(ReadOnlySpan<char> tail)
    {
        Grow(tail.Length);

        // CopyTo moves overlapping memory correctly, so a tail of the joined span can be held in place.
        tail.CopyTo(_chars);
        _length = tail.Length;
    }

    /// <summary>Everything held, for release at the end; valid until the next call.</summary>
    public ReadOnlySpan<char> Take()
    {
        var held = _chars.AsSpan(0, _length);
        _length = 0;
        return held;
    }

    private void Grow(int needed)
    {
        if (needed > _chars.Length)
        {
            Array.Resize(ref _chars, Math.Max(needed, _chars.Length * 2));
        }
    }
}
