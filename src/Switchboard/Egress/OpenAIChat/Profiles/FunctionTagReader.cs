using Switchboard.Canonical;

namespace Switchboard.Egress.OpenAIChat.Profiles;

/// <summary>
/// Reads Qwen3-Coder's XML tool calls, <c>&lt;function=NAME&gt;&lt;parameter=KEY&gt;value&lt;/parameter&gt;…&lt;/function&gt;</c>,
/// with values typed by the tool's input schema. As the reference parsers do, a parameter also ends where the next
/// one or the function ends when the model left out <c>&lt;/parameter&gt;</c>, and one newline on either side of a
/// value is the template's layout, not part of the value.
/// </summary>
public static class FunctionTagReader
{
    private const string FunctionOpen = "<function=";
    private const string FunctionClose = "</function>";
    private const string ParameterOpen = "<parameter=";
    private const string ParameterClose = "</parameter>";

    /// <summary>Reads one or more complete functions with only whitespace between them.</summary>
    public static bool TryRead(ReadOnlySpan<char> text, IReadOnlyList<ToolDefinition> tools, List<ParsedToolCall> calls)
    {
        text = text.Trim();
        if (text.IsEmpty)
        {
            return false;
        }

        while (!text.IsEmpty)
        {
            var end = text.IndexOf(FunctionClose, StringComparison.Ordinal);
            if (!text.StartsWith(FunctionOpen, StringComparison.Ordinal) || end < 0
                || !TryReadFunction(text[FunctionOpen.Length..end], tools, out var call))
            {
                return false;
            }

            calls.Add(call);
            text = text[(end + FunctionClose.Length)..].TrimStart();
        }

        return true;
    }

    /// <summary>Reads <c>NAME&gt;parameters…</c>, the inside of one <c>&lt;function=…&gt;…&lt;/function&gt;</c>.</summary>
    public static bool TryReadFunction(ReadOnlySpan<char> inner, IReadOnlyList<ToolDefinition> tools, out ParsedToolCall call)
    {
        call = default;
        var nameEnd = inner.IndexOf('>');
        var name = nameEnd < 0 ? default : inner[..nameEnd].Trim();
        if (!IsName(name))
        {
            return false;
        }

        var parameters = new List<KeyValuePair<string, string>>();
        var body = inner[(nameEnd + 1)..].TrimStart();
        while (!body.IsEmpty)
        {
            if (!body.StartsWith(ParameterOpen, StringComparison.Ordinal))
            {
                return false;
            }

            body = body[ParameterOpen.Length..];
            var keyEnd = body.IndexOf('>');
            var key = keyEnd < 0 ? default : body[..keyEnd].Trim();
            if (!IsName(key))
            {
                return false;
            }

            body = body[(keyEnd + 1)..];
            var close = body.IndexOf(ParameterClose, StringComparison.Ordinal);
            var next = body.IndexOf(ParameterOpen, StringComparison.Ordinal);
            var valueEnd = close >= 0 && (next < 0 || close < next) ? close : next >= 0 ? next : body.Length;
            parameters.Add(new(key.ToString(), WithoutLayoutNewlines(body[..valueEnd]).ToString()));
            body = body[(valueEnd == close ? close + ParameterClose.Length : valueEnd)..].TrimStart();
        }

        var toolName = name.ToString();
        call = new ParsedToolCall(toolName, ToolArgumentsJson.Build(toolName, parameters, tools));
        return true;
    }

    /// <summary>A tool or parameter name: non-empty, one line, no markup.</summary>
    internal static bool IsName(ReadOnlySpan<char> name) =>
        !name.IsEmpty && name.IndexOfAny('<', '>', '\n') < 0;

    private static ReadOnlySpan<char> WithoutLayoutNewlines(ReadOnlySpan<char> value)
    {
        if (value.StartsWith("\r\n", StringComparison.Ordinal))
        {
            value = value[2..];
        }
        else if (value.StartsWith('\n'))
        {
            value = value[1..];
        }

        if (value.EndsWith("\r\n", StringComparison.Ordinal))
        {
            value = value[..^2];
        }
        else if (value.EndsWith('\n'))
        {
            value = value[..^1];
        }

        return value;
    }
}
