using Switchboard.Canonical;

namespace Switchboard.Egress.OpenAIChat.Profiles;

/// <summary>
/// DeepSeek tool calls between <c>&lt;｜tool▁calls▁begin｜&gt;</c> and <c>&lt;｜tool▁calls▁end｜&gt;</c>, each call in
/// <c>&lt;｜tool▁call▁begin｜&gt;…&lt;｜tool▁call▁end｜&gt;</c>, in either of the family's two layouts:
/// V3 and R1 write <c>function&lt;｜tool▁sep｜&gt;NAME</c> and the arguments in a <c>```json</c> fence; V3.1 and later
/// write <c>NAME&lt;｜tool▁sep｜&gt;{…}</c>. A call without the outer markers is read too.
/// </summary>
/// <remarks>
/// The markers use full-width bars and lower blocks (U+FF5C, U+2581); they reach the parser as decoded characters,
/// so a marker split inside one of its multi-byte characters arrives whole.
/// </remarks>
public sealed class DeepSeekToolParser(IReadOnlyList<ToolDefinition> tools) : ToolRegionParser(tools)
{
    private const string CallsBegin = "<｜tool▁calls▁begin｜>";
    private const string CallsEnd = "<｜tool▁calls▁end｜>";
    private const string CallBegin = "<｜tool▁call▁begin｜>";
    private const string CallEnd = "<｜tool▁call▁end｜>";
    private const string Separator = "<｜tool▁sep｜>";
    private static readonly string[] Markers = [CallsBegin, CallBegin];

    protected override ReadOnlySpan<string> OpenMarkers => Markers;

    protected override string CloseMarker(string openMarker) => ReferenceEquals(openMarker, CallsBegin) ? CallsEnd : CallEnd;

    protected override int Read(string openMarker, ReadOnlySpan<char> region, bool closed, List<ParsedToolCall> calls)
    {
        if (!ReferenceEquals(openMarker, CallsBegin))
        {
            return TryReadCall(region, calls) ? region.Length : 0;
        }

        return ReadSequence(region, CallBegin, CallEnd, TryReadCall, calls);
    }

    private static bool TryReadCall(ReadOnlySpan<char> call, List<ParsedToolCall> calls)
    {
        var separator = call.IndexOf(Separator, StringComparison.Ordinal);
        if (separator < 0)
        {
            return false;
        }

        var head = call[..separator].Trim();
        var tail = call[(separator + Separator.Length)..].Trim();
        ReadOnlySpan<char> name;
        ReadOnlySpan<char> arguments;
        var newline = tail.IndexOf('\n');
        if (head.SequenceEqual("function") && newline > 0)
        {
            // V3 / R1: the name is the first line after the separator, the arguments follow in a fence.
            name = tail[..newline].Trim();
            arguments = WithoutFence(tail[(newline + 1)..]);
        }
        else
        {
            name = head;
            arguments = WithoutFence(tail);
        }

        if (!FunctionTagReader.IsName(name) || !ToolArgumentsObject.TryParse(arguments.ToString(), out var json))
        {
            return false;
        }

        calls.Add(new ParsedToolCall(name.ToString(), json));
        return true;
    }

    /// <summary>The text inside a <c>```json … ```</c> fence, or the text itself when it has none.</summary>
    private static ReadOnlySpan<char> WithoutFence(ReadOnlySpan<char> text)
    {
        text = text.Trim();
        if (!text.StartsWith("```", StringComparison.Ordinal) || !text[3..].EndsWith("```", StringComparison.Ordinal))
        {
            return text;
        }

        // The first line names the language (json) unless the value starts right after the fence.
        var inner = text[3..^3];
        var newline = inner.IndexOf('\n');
        var language = newline >= 0 ? inner[..newline].Trim() : default;
        return (newline >= 0 && !language.StartsWith('{') ? inner[(newline + 1)..] : inner).Trim();
    }
}
