using System.Buffers;
using Switchboard.Canonical;

namespace Switchboard.Egress.OpenAIChat.Profiles;

/// <summary>
/// Reads Kimi K2 tool calls out of a model's visible text: <c>&lt;|tool_calls_section_begin|&gt;</c>, then per call
/// <c>&lt;|tool_call_begin|&gt;functions.NAME:IDX&lt;|tool_call_argument_begin|&gt;{json}&lt;|tool_call_end|&gt;</c>,
/// then <c>&lt;|tool_calls_section_end|&gt;</c>
/// (the section markers also in their singular <c>tool_call_section</c> form). <c>functions.NAME:IDX</c> is the call's
/// id. Each call is sent once its end marker arrives; a call that does not read as one is sent on as the text it was,
/// and so is a section that yields no call or is still open when the message ends.
/// </summary>
public sealed class KimiK2ToolParser : IContentParser
{
    private const string CallBegin = "<|tool_call_begin|>";
    private const string ArgumentsBegin = "<|tool_call_argument_begin|>";
    private const string CallEnd = "<|tool_call_end|>";
    private static readonly string[] SectionBegins = ["<|tool_calls_section_begin|>", "<|tool_call_section_begin|>"];
    private static readonly string[] SectionEnds = ["<|tool_calls_section_end|>", "<|tool_call_section_end|>"];
    private static readonly string[] SectionMarkers = [CallBegin, .. SectionEnds];

    private readonly TextBeforeMarker _text = new(SectionBegins);
    private readonly ToolMarkupOutput _output = new();
    private readonly ArrayBufferWriter<char> _section = new(256);

    // Inside a section: the opening marker until it is either swallowed by a call or sent on as text, where
    // unsent raw markup starts, where reading resumes, and how far the open call was searched for its end.
    private string? _sectionBegin;
    private string? _unsentBegin;
    private bool _sectionHasCall;
    private int _unsent;
    private int _read;
    private int _searched;

    public KimiK2ToolParser(IReadOnlyList<ToolDefinition> tools)
    {
        // Kimi writes arguments as JSON, typed by the model; the schema is not needed to read them.
        ArgumentNullException.ThrowIfNull(tools);
    }

    public void Append(ReadOnlySpan<char> content, IContentTarget target)
    {
        while (!content.IsEmpty)
        {
            if (_sectionBegin is not null)
            {
                content = AppendSection(content, target);
            }
            else
            {
                content = _text.Append(content, _output, target, out _sectionBegin);
                _unsentBegin = _sectionBegin;
            }
        }
    }

    public void Flush(IContentTarget target)
    {
        if (_sectionBegin is not null)
        {
            SendRaw(_section.WrittenSpan[_unsent..], target);
            EndSection();
        }
        else
        {
            _text.Flush(_output, target);
        }

        _output.Flush();
    }

    /// <summary>Reads calls as they complete; returns what follows the section (nothing while it is still open).</summary>
    private ReadOnlySpan<char> AppendSection(ReadOnlySpan<char> content, IContentTarget target)
    {
        _section.Write(content);
        var raw = _section.WrittenSpan;
        while (true)
        {
            var at = _read;
            while (at < raw.Length && char.IsWhiteSpace(raw[at]))
            {
                at++;
            }

            _read = at;
            var rest = raw[at..];
            if (rest.IsEmpty)
            {
                return [];
            }

            if (rest.StartsWith(CallBegin, StringComparison.Ordinal))
            {
                if (!TryFinishCall(raw, at, target))
                {
                    return [];
                }

                continue;
            }

            if (MarkerLength(rest, SectionEnds) is > 0 and var endLength)
            {
                if (!_sectionHasCall)
                {
                    SendRaw(raw[_unsent..(at + endLength)], target);
                }

                return EndSection(raw[(at + endLength)..]);
            }

            if (IsMarkerStart(rest))
            {
                return [];
            }

            // Anything else ends the section; what follows is read as text again.
            SendRaw(raw[_unsent..at], target);
            return EndSection(rest);
        }
    }

    /// <summary>Sends the call starting at <paramref name="at"/> once its end marker is there; false until then.</summary>
    private bool TryFinishCall(ReadOnlySpan<char> raw, int at, IContentTarget target)
    {
        // Look back a marker's length: the end marker may straddle the previous chunk's end.
        var from = Math.Max(at + CallBegin.Length, _searched - CallEnd.Length + 1);
        var end = raw[from..].IndexOf(CallEnd, StringComparison.Ordinal);
        if (end < 0)
        {
            _searched = raw.Length;
            return false;
        }

        end += from;
        var callEnd = end + CallEnd.Length;
        if (TryReadCall(raw[(at + CallBegin.Length)..end], out var id, out var name, out var arguments))
        {
            _unsentBegin = null;
            _sectionHasCall = true;
            _output.Call(id, name, arguments, target);
        }
        else
        {
            SendRaw(raw[_unsent..callEnd], target);
        }

        _unsent = _read = _searched = callEnd;
        return true;
    }

    /// <summary>Sends raw markup on as text, with the section's opening marker if nothing has used it yet.</summary>
    private void SendRaw(ReadOnlySpan<char> raw, IContentTarget target)
    {
        if (_unsentBegin is not null)
        {
            _output.Text(_unsentBegin, target);
            _unsentBegin = null;
        }

        _output.Text(raw, target);
    }

    private string EndSection(ReadOnlySpan<char> rest = default)
    {
        var after = rest.ToString();
        _section.ResetWrittenCount();
        _sectionBegin = _unsentBegin = null;
        _sectionHasCall = false;
        _unsent = _read = _searched = 0;
        return after;
    }

    private static int MarkerLength(ReadOnlySpan<char> text, string[] markers)
    {
        foreach (var marker in markers)
        {
            if (text.StartsWith(marker, StringComparison.Ordinal))
            {
                return marker.Length;
            }
        }

        return 0;
    }

    private static bool IsMarkerStart(ReadOnlySpan<char> text)
    {
        foreach (var marker in SectionMarkers)
        {
            if (marker.AsSpan().StartsWith(text))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>[functions.]NAME:IDX &lt;|tool_call_argument_begin|&gt; {json}</c>, whitespace allowed around the parts.</summary>
    private static bool TryReadCall(ReadOnlySpan<char> body, out string id, out string name, out string arguments)
    {
        id = name = arguments = "";
        var split = body.IndexOf(ArgumentsBegin, StringComparison.Ordinal);
        if (split < 0)
        {
            return false;
        }

        var header = body[..split].Trim();
        var colon = header.LastIndexOf(':');
        if (colon <= 0 || colon == header.Length - 1 || header[(colon + 1)..].ContainsAnyExceptInRange('0', '9')
            || header.ContainsAny(" \t\r\n"))
        {
            return false;
        }

        var qualified = header[..colon];
        var nameSpan = qualified[(qualified.LastIndexOf('.') + 1)..];
        var json = body[(split + ArgumentsBegin.Length)..].Trim();
        if (nameSpan.IsEmpty)
        {
            return false;
        }

        if (json.IsEmpty)
        {
            arguments = "{}";
        }
        else if (ToolArgumentsObject.TryParse(json.ToString(), out var parsed))
        {
            arguments = parsed;
        }
        else
        {
            return false;
        }

        id = header.ToString();
        name = nameSpan.ToString();
        return true;
    }
}
