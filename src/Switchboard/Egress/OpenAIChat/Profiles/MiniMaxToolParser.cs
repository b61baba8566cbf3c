using Switchboard.Canonical;

namespace Switchboard.Egress.OpenAIChat.Profiles;

/// <summary>
/// MiniMax M2.x tool calls: <c>&lt;minimax:tool_call&gt;</c> holding one or more
/// <c>&lt;invoke name="NAME"&gt;&lt;parameter name="KEY"&gt;value&lt;/parameter&gt;…&lt;/invoke&gt;</c>. Names may be
/// quoted or not; values are trimmed, as MiniMax's own parser does, and typed by the tool's input schema.
/// </summary>
public sealed class MiniMaxToolParser(IReadOnlyList<ToolDefinition> tools) : ToolRegionParser(tools)
{
    private const string InvokeOpen = "<invoke name=";
    private const string InvokeClose = "</invoke>";
    private const string ParameterOpen = "<parameter name=";
    private const string ParameterClose = "</parameter>";
    private static readonly string[] Markers = ["<minimax:tool_call>"];

    protected override ReadOnlySpan<string> OpenMarkers => Markers;

    protected override string CloseMarker(string openMarker) => "</minimax:tool_call>";

    protected override int Read(string openMarker, ReadOnlySpan<char> region, bool closed, List<ParsedToolCall> calls) =>
        ReadSequence(region, InvokeOpen, InvokeClose, ReadInvoke, calls);

    /// <summary>Reads <c>"NAME"&gt;parameters…</c>, the inside of one invoke.</summary>
    private bool ReadInvoke(ReadOnlySpan<char> inner, List<ParsedToolCall> calls)
    {
        if (!TryReadAttribute(ref inner, out var name))
        {
            return false;
        }

        var parameters = new List<KeyValuePair<string, string>>();
        inner = inner.TrimStart();
        while (!inner.IsEmpty)
        {
            if (!inner.StartsWith(ParameterOpen, StringComparison.Ordinal))
            {
                return false;
            }

            inner = inner[ParameterOpen.Length..];
            var close = inner.IndexOf(ParameterClose, StringComparison.Ordinal);
            if (close < 0)
            {
                return false;
            }

            var parameter = inner[..close];
            if (!TryReadAttribute(ref parameter, out var key))
            {
                return false;
            }

            parameters.Add(new(key, parameter.Trim().ToString()));
            inner = inner[(close + ParameterClose.Length)..].TrimStart();
        }

        calls.Add(new ParsedToolCall(name, ToolArgumentsJson.Build(name, parameters, Tools)));
        return true;
    }

    /// <summary>Reads <c>NAME&gt;</c> or <c>"NAME"&gt;</c> from the start of <paramref name="text"/>, leaving what follows.</summary>
    private static bool TryReadAttribute(ref ReadOnlySpan<char> text, out string value)
    {
        value = "";
        var end = text.IndexOf('>');
        if (end < 0)
        {
            return false;
        }

        var raw = text[..end].Trim();
        if (raw.Length >= 2 && (raw[0] is '"' or '\'') && raw[^1] == raw[0])
        {
            raw = raw[1..^1];
        }

        if (!FunctionTagReader.IsName(raw))
        {
            return false;
        }

        value = raw.ToString();
        text = text[(end + 1)..];
        return true;
    }
}
