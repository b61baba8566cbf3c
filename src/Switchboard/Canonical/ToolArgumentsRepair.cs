using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Switchboard.Canonical;

/// <summary>
/// Turns a model's tool-call arguments, fed in fragments, into JSON object text that always parses. Fragments that
/// keep the text a valid prefix of a JSON object go out at once; the rest waits until it is known to be safe.
/// </summary>
/// <remarks>
/// At the end (<see cref="Finish"/>) an object that was cut short or turned invalid is closed at its last valid
/// point: a dangling key, comma or partial literal is dropped, an open string, array or object is closed, and
/// anything after the first invalid character or after the object is ignored. Raw control characters inside strings
/// are escaped. Arguments that do not start with <c>{</c> are held whole: a JSON string holding an object is
/// unwrapped, empty arguments become <c>{}</c>, and anything else becomes <c>{"_raw": "…"}</c>.
/// <see cref="Repair(string, out bool)"/> runs the same machine over a whole text, so a streamed call and a
/// non-streamed one end as the same JSON.
/// </remarks>
public sealed class ToolArgumentsRepair
{
    /// <summary>The characters that end a run of plain string content: a quote, a backslash, a control character.</summary>
    private static readonly SearchValues<char> StringSpecials = SearchValues.Create(
        "\"\\\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000a\u000b\u000c\u000d\u000e\u000f"
        + "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f");

    private readonly ArrayBufferWriter<char> _ready = new();
    private readonly List<char> _closers = [];
    private readonly System.Text.StringBuilder _pending = new();
    private readonly System.Text.StringBuilder _token = new();
    private Mode _mode;
    private State _state;
    private bool _safeInString;
    private int _unicodeDigits;

    private enum Mode
    {
        Undecided,
        Object,
        Held,
        Ended,
    }

    private enum State
    {
        KeyOrClose,
        KeyRequired,
        Key,
        KeyEscape,
        KeyUnicode,
        Colon,
        Value,
        ValueOrClose,
        String,
        StringEscape,
        StringUnicode,
        Literal,
        Number,
        AfterValue,
    }

    /// <summary>True when the text had to be changed to become a JSON object.</summary>
    public bool Repaired { get; private set; }

    /// <summary>Text that may be sent now; call <see cref="Consumed"/> once it has been sent.</summary>
    public ReadOnlySpan<char> Ready => _ready.WrittenSpan;

    /// <summary>The whole arguments text made into a JSON object, as the streamed path would end it.</summary>
    public static string Repair(string raw, out bool repaired)
    {
        var repair = new ToolArgumentsRepair();
        repair.Append(raw);
        repair.Finish();
        repaired = repair.Repaired;
        return repair.Ready.ToString();
    }

    public void Consumed() => _ready.ResetWrittenCount();

    /// <summary>Starts over for another call.</summary>
    public void Reset()
    {
        _ready.ResetWrittenCount();
        _closers.Clear();
        _pending.Clear();
        _token.Clear();
        _mode = Mode.Undecided;
        _state = State.KeyOrClose;
        _safeInString = false;
        Repaired = false;
    }

    public void Append(ReadOnlySpan<char> fragment)
    {
        var i = 0;
        while (i < fragment.Length)
        {
            if (_mode == Mode.Object && _state == State.String)
            {
                // The bulk of most arguments: plain characters of a string value go out in one piece.
                var run = fragment[i..].IndexOfAny(StringSpecials);
                run = run < 0 ? fragment.Length - i : run;
                if (run > 0)
                {
                    _ready.Write(fragment.Slice(i, run));
                    i += run;
                    continue;
                }
            }
            else if (_mode == Mode.Held)
            {
                _pending.Append(fragment[i..]);
                return;
            }

            var c = fragment[i++];
            switch (_mode)
            {
                case Mode.Undecided when IsSpace(c):
                    break;
                case Mode.Undecided when c == '{':
                    _mode = Mode.Object;
                    _closers.Add('}');
                    _state = State.KeyOrClose;
                    Write(c);
                    break;
                case Mode.Undecided:
                    _mode = Mode.Held;
                    _pending.Append(c);
                    break;
                case Mode.Object:
                    Step(c);
                    break;
                case Mode.Ended when IsSpace(c):
                    break;
                case Mode.Ended:
                    // Whatever follows the object, or the first invalid character, is not part of the arguments.
                    Repaired = true;
                    return;
            }
        }
    }

    /// <summary>Ends the arguments: what is still held, or what closes them, becomes <see cref="Ready"/>.</summary>
    public void Finish()
    {
        switch (_mode)
        {
            case Mode.Undecided:
                _ready.Write("{}");
                break;
            case Mode.Held:
                _ready.Write(Unwrap(_pending.ToString().Trim(), out var unwrapped));
                Repaired |= !unwrapped;
                break;
            case Mode.Object:
                Close();
                break;
        }

        _pending.Clear();
        _mode = Mode.Ended;
    }

    private static string Unwrap(string text, out bool unwrapped)
    {
        unwrapped = false;
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind == JsonValueKind.String
                && document.RootElement.GetString() is { } inner
                && inner.AsSpan().TrimStart().StartsWith('{'))
            {
                var repaired = Repair(inner, out var innerRepaired);
                unwrapped = !innerRepaired;
                return repaired;
            }
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
        }

        // Lone surrogates become U+FFFD so the writer accepts the text.
        text = System.Text.Encoding.UTF8.GetString(System.Text.Encoding.UTF8.GetBytes(text));
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("_raw", text);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n';

    private void Step(char c)
    {
        switch (_state)
        {
            case State.KeyOrClose when c == '}':
            case State.ValueOrClose when c == ']':
            case State.AfterValue when c == _closers[^1]:
                CloseContainer(c);
                return;
            case State.KeyOrClose or State.KeyRequired when c == '"':
                Hold(c, State.Key);
                return;
            case State.Key:
            case State.String:
                StringChar(c);
                return;
            case State.KeyEscape:
            case State.StringEscape:
                Escape(c);
                return;
            case State.KeyUnicode:
            case State.StringUnicode:
                Unicode(c);
                return;
            case State.Colon when c == ':':
                Hold(c, State.Value);
                return;
            case State.Value:
            case State.ValueOrClose:
                ValueStart(c);
                return;
            case State.Literal:
                LiteralChar(c);
                return;
            case State.Number:
                NumberChar(c);
                return;
            case State.AfterValue when c == ',':
                Hold(c, _closers[^1] == '}' ? State.KeyRequired : State.Value);
                return;
        }

        if (IsSpace(c))
        {
            if (_pending.Length == 0)
            {
                Write(c);
            }
            else
            {
                _pending.Append(c);
            }

            return;
        }

        Stop();
    }

    private void ValueStart(char c)
    {
        switch (c)
        {
            case '"':
                _pending.Append(c);
                Commit(State.String);
                _safeInString = true;
                break;
            case '{' or '[':
                _pending.Append(c);
                _closers.Add(c == '{' ? '}' : ']');
                Commit(c == '{' ? State.KeyOrClose : State.ValueOrClose);
                break;
            case 't' or 'f' or 'n':
                _token.Clear().Append(c);
                Hold(c, State.Literal);
                break;
            case '-':
                _token.Clear().Append(c);
                Hold(c, State.Number);
                break;
            case >= '0' and <= '9':
                _token.Clear().Append(c);
                _pending.Append(c);
                Commit(State.Number);
                break;
            default:
                if (IsSpace(c))
                {
                    _pending.Append(c);
                }
                else
                {
                    Stop();
                }

                break;
        }
    }

    private void StringChar(char c)
    {
        var key = _state == State.Key;
        if (c == '"')
        {
            if (key)
            {
                Hold(c, State.Colon);
            }
            else
            {
                _safeInString = false;
                _pending.Append(c);
                Commit(State.AfterValue);
            }
        }
        else if (c == '\\')
        {
            Hold(c, key ? State.KeyEscape : State.StringEscape);
        }
        else if (c < ' ')
        {
            // A raw control character is not allowed in a JSON string; escaping it keeps what the model meant.
            Repaired = true;
            Emit(key, c switch { '\n' => "\\n", '\r' => "\\r", '\t' => "\\t", _ => $"\\u{(int)c:x4}" });
        }
        else
        {
            Emit(key, c);
        }
    }

    private void Escape(char c)
    {
        var key = _state == State.KeyEscape;
        if (c == 'u')
        {
            _unicodeDigits = 0;
            Hold(c, key ? State.KeyUnicode : State.StringUnicode);
        }
        else if (c is '"' or '\\' or '/' or 'b' or 'f' or 'n' or 'r' or 't')
        {
            _pending.Append(c);
            _state = key ? State.Key : State.String;
            if (!key)
            {
                Commit(State.String);
            }
        }
        else
        {
            Stop();
        }
    }

    private void Unicode(char c)
    {
        if (!char.IsAsciiHexDigit(c))
        {
            Stop();
            return;
        }

        _pending.Append(c);
        if (++_unicodeDigits == 4)
        {
            var key = _state == State.KeyUnicode;
            _state = key ? State.Key : State.String;
            if (!key)
            {
                Commit(State.String);
            }
        }
    }

    private void LiteralChar(char c)
    {
        var word = _token.Append(c).ToString();
        if ("true".StartsWith(word, StringComparison.Ordinal)
            || "false".StartsWith(word, StringComparison.Ordinal)
            || "null".StartsWith(word, StringComparison.Ordinal))
        {
            _pending.Append(c);
            if (word is "true" or "false" or "null")
            {
                Commit(State.AfterValue);
            }

            return;
        }

        Stop();
    }

    private void NumberChar(char c)
    {
        if (c is (>= '0' and <= '9') or '-' or '+' or '.' or 'e' or 'E')
        {
            if (!IsNumberPrefix(_token.Append(c).ToString()))
            {
                Stop();
                return;
            }

            // A number ending in a digit is complete as it stands, so its digits go out as they arrive.
            _pending.Append(c);
            if (c is >= '0' and <= '9')
            {
                Commit(State.Number);
            }

            return;
        }

        if (_pending.Length > 0)
        {
            Stop();
            return;
        }

        _state = State.AfterValue;
        Step(c);
    }

    /// <summary>True when <paramref name="text"/> can still grow into a JSON number.</summary>
    private static bool IsNumberPrefix(string text)
    {
        var i = 0;
        if (i < text.Length && text[i] == '-')
        {
            i++;
        }

        if (i == text.Length)
        {
            return true;
        }

        if (text[i] == '0')
        {
            i++;
        }
        else if (text[i] is >= '1' and <= '9')
        {
            while (i < text.Length && text[i] is >= '0' and <= '9')
            {
                i++;
            }
        }
        else
        {
            return false;
        }

        if (i < text.Length && text[i] == '.')
        {
            i++;
            if (i == text.Length)
            {
                return true;
            }

            if (text[i] is not (>= '0' and <= '9'))
            {
                return false;
            }

            while (i < text.Length && text[i] is >= '0' and <= '9')
            {
                i++;
            }
        }

        if (i < text.Length && text[i] is 'e' or 'E')
        {
            i++;
            if (i < text.Length && text[i] is '+' or '-')
            {
                i++;
            }

            if (i == text.Length)
            {
                return true;
            }

            if (text[i] is not (>= '0' and <= '9'))
            {
                return false;
            }

            while (i < text.Length && text[i] is >= '0' and <= '9')
            {
                i++;
            }
        }

        return i == text.Length;
    }

    private void CloseContainer(char c)
    {
        _closers.RemoveAt(_closers.Count - 1);
        _pending.Append(c);
        Commit(State.AfterValue);
        if (_closers.Count == 0)
        {
            _mode = Mode.Ended;
        }
    }

    private void Hold(char c, State next)
    {
        _pending.Append(c);
        _state = next;
    }

    private void Emit(bool key, char c)
    {
        if (key)
        {
            _pending.Append(c);
        }
        else
        {
            Write(c);
        }
    }

    private void Emit(bool key, string text)
    {
        if (key)
        {
            _pending.Append(text);
        }
        else
        {
            _ready.Write(text);
        }
    }

    /// <summary>Everything pending is now part of a valid prefix: it may go out.</summary>
    private void Commit(State next)
    {
        foreach (var chunk in _pending.GetChunks())
        {
            _ready.Write(chunk.Span);
        }

        _pending.Clear();
        _state = next;
    }

    private void Write(char c) => _ready.Write([c]);

    /// <summary>An invalid character: the arguments end at the last valid point.</summary>
    private void Stop()
    {
        Repaired = true;
        Close();
        _mode = Mode.Ended;
    }

    private void Close()
    {
        if (_pending.Length > 0 || _closers.Count > 0)
        {
            Repaired = true;
        }

        _pending.Clear();
        if (_safeInString)
        {
            _ready.Write("\"");
            _safeInString = false;
        }

        for (var i = _closers.Count - 1; i >= 0; i--)
        {
            Write(_closers[i]);
        }

        _closers.Clear();
    }
}
