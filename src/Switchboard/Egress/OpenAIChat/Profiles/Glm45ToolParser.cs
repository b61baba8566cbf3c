using System.Buffers;
using Switchboard.Canonical;

namespace Switchboard.Egress.OpenAIChat.Profiles;

/// <summary>
/// Reads GLM-4.5 / GLM-4.6 tool calls out of a model's visible text:
/// <c>&lt;tool_call&gt;NAME\n&lt;arg_key&gt;KEY&lt;/arg_key&gt;\n&lt;arg_value&gt;VALUE&lt;/arg_value&gt;\n…&lt;/tool_call&gt;</c>.
/// Values are written bare, so they are typed against the tool's schema. The newlines are optional (GLM-4.7 writes
/// none). A call is sent once it is closed; markup that does not read as a call, or is not closed when the message
/// ends, is sent on as the text it was.
/// </summary>
public sealed class Glm45ToolParser(IReadOnlyList<ToolDefinition> tools) : IContentParser
{
    private const string CallStart = "<tool_call>";
    private const string CallEnd = "</tool_call>";
    private const string KeyStart = "<arg_key>";
    private const string KeyEnd = "</arg_key>";
    private const string ValueStart = "<arg_value>";
    private const string ValueEnd = "</arg_value>";

    private readonly TextBeforeMarker _text = new([CallStart]);
    private readonly ToolMarkupOutput _output = new();
    private readonly ArrayBufferWriter<char> _call = new(256);
    private bool _inCall;
    private int _searched;

    public void Append(ReadOnlySpan<char> content, IContentTarget target)
    {
        while (!content.IsEmpty)
        {
            if (_inCall)
            {
                content = AppendCall(content, target);
            }
            else
            {
                content = _text.Append(content, _output, target, out var found);
                _inCall = found is not null;
            }
        }
    }

    public void Flush(IContentTarget target)
    {
        if (_inCall)
        {
            _output.Text(CallStart, target);
            _output.Text(_call.WrittenSpan, target);
            ResetCall();
        }
        else
        {
            _text.Flush(_output, target);
        }

        _output.Flush();
    }

    /// <summary>Buffers the call until it closes; returns what follows it (nothing while it is still open).</summary>
    private ReadOnlySpan<char> AppendCall(ReadOnlySpan<char> content, IContentTarget target)
    {
        _call.Write(content);
        var body = _call.WrittenSpan;

        // A marker may straddle the previous chunk's end, so look back a marker's length.
        var from = Math.Max(0, _searched - CallEnd.Length + 1);
        var at = body[from..].IndexOf(CallEnd, StringComparison.Ordinal);
        if (at < 0)
        {
            _searched = body.Length;
            return [];
        }

        at += from;
        if (TryReadCall(body[..at], out var name, out var arguments))
        {
            _output.Call(null, name, ToolArgumentsJson.Build(name, arguments, tools), target);
        }
        else
        {
            _output.Text(CallStart, target);
            _output.Text(body[..at], target);
            _output.Text(CallEnd, target);
        }

        var rest = body[(at + CallEnd.Length)..].ToString();
        ResetCall();
        _inCall = false;
        return rest;
    }

    private void ResetCall()
    {
        _call.ResetWrittenCount();
        _searched = 0;
    }

    /// <summary>The name up to the first line break or tag, then key/value pairs with only whitespace around them.</summary>
    private static bool TryReadCall(ReadOnlySpan<char> body, out string name, out List<KeyValuePair<string, string>> arguments)
    {
        arguments = [];
        var nameEnd = body.IndexOfAny('\n', '<');
        var rest = nameEnd < 0 ? [] : body[nameEnd..];
        var nameSpan = (nameEnd < 0 ? body : body[..nameEnd]).Trim();
        name = nameSpan.ToString();
        if (nameSpan.IsEmpty || nameSpan.ContainsAny(" \t\r\n"))
        {
            return false;
        }

        while (true)
        {
            rest = rest.TrimStart();
            if (rest.IsEmpty)
            {
                return true;
            }

            if (!TryReadTagged(ref rest, KeyStart, KeyEnd, out var key) || key.Trim().IsEmpty)
            {
                return false;
            }

            rest = rest.TrimStart();
            if (!TryReadTagged(ref rest, ValueStart, ValueEnd, out var value))
            {
                return false;
            }

            // Values are kept exactly as written: the template writes them bare, so whitespace is part of a string.
            arguments.Add(new(key.Trim().ToString(), value.ToString()));
        }
    }

    private static bool TryReadTagged(ref ReadOnlySpan<char> text, string open, string close, out ReadOnlySpan<char> inner)
    {
        inner = [];
        if (!text.StartsWith(open, StringComparison.Ordinal))
        {
            return false;
        }

        var end = text[open.Length..].IndexOf(close, StringComparison.Ordinal);
        if (end < 0)
        {
            return false;
        }

        inner = text.Slice(open.Length, end);
        text = text[(open.Length + end + close.Length)..];
        return true;
    }
}
