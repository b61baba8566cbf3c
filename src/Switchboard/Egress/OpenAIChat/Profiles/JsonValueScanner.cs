namespace Switchboard.Egress.OpenAIChat.Profiles;

/// <summary>
/// Follows a JSON object or array as it streams, to find where it ends without parsing it: counts brackets outside
/// strings. Whether the value is well-formed is for the caller to check once it has ended.
/// </summary>
internal struct JsonValueScanner
{
    private int _depth;
    private bool _inString;
    private bool _escaped;

    /// <summary>
    /// Reads on through <paramref name="text"/>, which continues the value (the first character ever fed must be its
    /// opening bracket). Returns the index just after the closing bracket, or -1 when the value goes on.
    /// </summary>
    public int Advance(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (_inString)
            {
                if (_escaped)
                {
                    _escaped = false;
                }
                else if (c == '\\')
                {
                    _escaped = true;
                }
                else if (c == '"')
                {
                    _inString = false;
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    _inString = true;
                    break;
                case '{' or '[':
                    _depth++;
                    break;
                case '}' or ']':
                    _depth--;
                    if (_depth <= 0)
                    {
                        return i + 1;
                    }

                    break;
            }
        }

        return -1;
    }
}
