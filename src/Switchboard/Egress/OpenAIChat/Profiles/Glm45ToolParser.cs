using Switchboard.Canonical;

namespace Switchboard.Egress.OpenAIChat.Profiles;

/// <summary>
/// Reads GLM-4.5 / GLM-4.6 tool calls out of a model's visible text:
/// <c>&lt;tool_call&gt;NAME\n&lt;arg_key&gt;KEY&lt;/arg_key&gt;\n&lt;arg_value&gt;VALUE&lt;/arg_value&gt;\n…&lt;/tool_call&gt;</c>.
/// Values are written bare, so they are typed against the tool's schema. The newlines are optional (GLM-4.7 writes
/// none).
/// </summary>
public sealed class Glm45ToolParser(IReadOnlyList<ToolDefinition> tools) : ToolRegionParser(tools)
{
    private const string KeyStart = "<arg_key>";
    private const string KeyEnd = "</arg_key>";
    private const string ValueStart = "<arg_value>";
    private const string ValueEnd = "</arg_value>";
    private static readonly string[] Markers = ["<tool_call>"];

    protected override ReadOnlySpan<string> OpenMarkers => Markers;

    protected override string CloseMarker(string openMarker) => "</tool_call>";

    /// <summary>
    /// The name up to the first line break or tag, then key/value pairs with only whitespace around them. A region the
    /// answer never closed is one call only when it ends with a complete value: a bare name may be cut short.
    /// </summary>
    protected override int Read(string openMarker, ReadOnlySpan<char> region, bool closed, List<ParsedToolCall> calls) =>
        (closed || region.TrimEnd().EndsWith(ValueEnd, StringComparison.Ordinal)) && TryRead(region, calls) ? region.Length : 0;

    private bool TryRead(ReadOnlySpan<char> region, List<ParsedToolCall> calls)
    {
        var nameEnd = region.IndexOfAny('\n', '<');
        var rest = nameEnd < 0 ? [] : region[nameEnd..];
        var name = (nameEnd < 0 ? region : region[..nameEnd]).Trim();
        if (name.IsEmpty || name.ContainsAny(" \t\r\n"))
        {
            return false;
        }

        var arguments = new List<KeyValuePair<string, string>>();
        while (!(rest = rest.TrimStart()).IsEmpty)
        {
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

        var toolName = name.ToString();
        calls.Add(new ParsedToolCall(toolName, ToolArgumentsJson.Build(toolName, arguments, Tools)));
        return true;
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
