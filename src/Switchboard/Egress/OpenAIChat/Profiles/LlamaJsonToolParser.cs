using System.Buffers;
using System.Text.Json;
using Switchboard.Canonical;

namespace Switchboard.Egress.OpenAIChat.Profiles;

/// <summary>
/// Reads Llama 3.x JSON tool calls out of a model's visible text: the whole message is
/// <c>{"name": "…", "parameters": {…}}</c> (or <c>"arguments"</c>), possibly several joined by <c>;</c>, possibly
/// after <c>&lt;|python_tag|&gt;</c>. Only a message that is nothing but such calls (and whitespace) is calls; any
/// other message is text, exactly as written.
/// </summary>
/// <remarks>
/// A message whose first non-blank characters cannot start a call streams through at once. One that can is held
/// until it either stops looking like calls (then it is sent as text and the rest streams through) or ends (then its
/// calls are sent): a call cannot be told from a JSON answer before the message is over.
/// </remarks>
public sealed class LlamaJsonToolParser : IContentParser
{
    private const string PythonTag = "<|python_tag|>";

    private readonly ArrayBufferWriter<char> _held = new(256);
    private readonly List<(string Name, string Arguments)> _calls = [];
    private JsonValueScanner _scanner;
    private Mode _mode;

    // While reading calls: where reading resumes in the held text, where the JSON value being read started
    // (-1 between values), and whether a ';' came since the last value.
    private int _read;
    private int _valueStart = -1;
    private bool _separated;

    public LlamaJsonToolParser(IReadOnlyList<ToolDefinition> tools)
    {
        // Llama writes arguments as JSON, typed by the model; the schema is not needed to read them.
        ArgumentNullException.ThrowIfNull(tools);
    }

    private enum Mode
    {
        Undecided,
        Calls,
        Text,
    }

    public void Append(ReadOnlySpan<char> content, IContentTarget target)
    {
        if (content.IsEmpty)
        {
            return;
        }

        if (_mode == Mode.Text)
        {
            target.AppendText(content);
            return;
        }

        _held.Write(content);
        if (_mode == Mode.Undecided && !TryStartCalls(target))
        {
            return;
        }

        ReadCalls(target);
    }

    public void Flush(IContentTarget target)
    {
        if (_mode == Mode.Calls && _valueStart < 0 && _calls.Count > 0)
        {
            for (var i = 0; i < _calls.Count; i++)
            {
                target.AppendToolCall(i, null, _calls[i].Name, _calls[i].Arguments);
            }

            _calls.Clear();
            _held.ResetWrittenCount();
        }
        else
        {
            SendHeldAsText(target);
        }
    }

    /// <summary>Looks at the first non-blank characters: true once they open a call, false while undecided or once text.</summary>
    private bool TryStartCalls(IContentTarget target)
    {
        var held = _held.WrittenSpan;
        var at = SkipWhitespace(held, 0);
        if (at == held.Length)
        {
            return false;
        }

        if (held[at..].StartsWith(PythonTag, StringComparison.Ordinal))
        {
            at = SkipWhitespace(held, at + PythonTag.Length);
            if (at == held.Length)
            {
                return false;
            }
        }
        else if (PythonTag.AsSpan().StartsWith(held[at..]))
        {
            return false;
        }

        if (held[at] != '{')
        {
            SendHeldAsText(target);
            return false;
        }

        _mode = Mode.Calls;
        _read = at;
        _separated = true;
        return true;
    }

    private void ReadCalls(IContentTarget target)
    {
        var held = _held.WrittenSpan;
        while (_read < held.Length)
        {
            if (_valueStart >= 0)
            {
                var end = _scanner.Advance(held[_read..]);
                if (end < 0)
                {
                    _read = held.Length;
                    return;
                }

                _read += end;
                if (!TryReadCall(held[_valueStart.._read]))
                {
                    SendHeldAsText(target);
                    return;
                }

                _valueStart = -1;
                _separated = false;
                continue;
            }

            var c = held[_read];
            if (char.IsWhiteSpace(c))
            {
                _read++;
            }
            else if (c == ';' && !_separated)
            {
                _separated = true;
                _read++;
            }
            else if (c == '{' && _separated)
            {
                _valueStart = _read;
                _scanner = default;
            }
            else
            {
                SendHeldAsText(target);
                return;
            }
        }
    }

    /// <summary>Everything held was text after all; from here on the message streams through.</summary>
    private void SendHeldAsText(IContentTarget target)
    {
        if (_held.WrittenCount > 0)
        {
            target.AppendText(_held.WrittenSpan);
            _held.ResetWrittenCount();
        }

        _calls.Clear();
        _mode = Mode.Text;
    }

    /// <summary>An object with a string <c>name</c> and exactly one of <c>parameters</c> and <c>arguments</c>.</summary>
    private bool TryReadCall(ReadOnlySpan<char> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json.ToString());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("name", out var name)
                || name.ValueKind != JsonValueKind.String || name.GetString() is not { Length: > 0 } callName)
            {
                return false;
            }

            var hasParameters = root.TryGetProperty("parameters", out var parameters);
            var hasArguments = root.TryGetProperty("arguments", out var arguments);
            if (hasParameters == hasArguments || !ToolArgumentsObject.TryRead(hasParameters ? parameters : arguments, out var argumentsJson))
            {
                return false;
            }

            _calls.Add((callName, argumentsJson));
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
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
