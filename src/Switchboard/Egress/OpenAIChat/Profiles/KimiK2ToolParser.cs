using Switchboard.Canonical;

namespace Switchboard.Egress.OpenAIChat.Profiles;

/// <summary>
/// Reads Kimi K2 tool calls out of a model's visible text: <c>&lt;|tool_calls_section_begin|&gt;</c>, then per call
/// <c>&lt;|tool_call_begin|&gt;functions.NAME:IDX&lt;|tool_call_argument_begin|&gt;{json}&lt;|tool_call_end|&gt;</c>,
/// then <c>&lt;|tool_calls_section_end|&gt;</c>
/// (the section markers also in their singular <c>tool_call_section</c> form). <c>functions.NAME:IDX</c> is the call's
/// id. Kimi writes arguments as JSON, typed by the model; the schema is not needed to read them.
/// </summary>
public sealed class KimiK2ToolParser(IReadOnlyList<ToolDefinition> tools) : ToolRegionParser(tools)
{
    private const string CallBegin = "<|tool_call_begin|>";
    private const string ArgumentsBegin = "<|tool_call_argument_begin|>";
    private const string CallEnd = "<|tool_call_end|>";
    private static readonly string[] SectionBegins = ["<|tool_calls_section_begin|>", "<|tool_call_section_begin|>"];
    private static readonly string[] SectionEnds = ["<|tool_calls_section_end|>", "<|tool_call_section_end|>"];

    protected override ReadOnlySpan<string> OpenMarkers => SectionBegins;

    protected override string CloseMarker(string openMarker) => SectionEnds[Array.IndexOf(SectionBegins, openMarker)];

    protected override int Read(string openMarker, ReadOnlySpan<char> region, bool closed, List<ParsedToolCall> calls) =>
        ReadSequence(region, CallBegin, CallEnd, ReadCall, calls);

    /// <summary><c>[functions.]NAME:IDX &lt;|tool_call_argument_begin|&gt; {json}</c>, whitespace allowed around the parts.</summary>
    private static bool ReadCall(ReadOnlySpan<char> body, List<ParsedToolCall> calls)
    {
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
        var name = qualified[(qualified.LastIndexOf('.') + 1)..];
        var json = body[(split + ArgumentsBegin.Length)..].Trim();
        string? arguments = "{}";
        if (name.IsEmpty || (!json.IsEmpty && !ToolArgumentsObject.TryParse(json.ToString(), out arguments)))
        {
            return false;
        }

        calls.Add(new ParsedToolCall(name.ToString(), arguments, header.ToString()));
        return true;
    }
}
