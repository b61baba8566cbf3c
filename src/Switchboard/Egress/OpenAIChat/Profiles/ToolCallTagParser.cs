using Switchboard.Canonical;

namespace Switchboard.Egress.OpenAIChat.Profiles;

/// <summary>
/// Tool calls in <c>&lt;tool_call&gt;…&lt;/tool_call&gt;</c>, with either inside: Hermes-style JSON
/// (<c>{"name": …, "arguments": {…}}</c>; Qwen2.5, Qwen3, Hermes) or Qwen3-Coder's XML
/// (<c>&lt;function=NAME&gt;&lt;parameter=KEY&gt;…</c>), decided per call. A bare
/// <c>&lt;function=…&gt;…&lt;/function&gt;</c> without the wrapper, which Qwen3-Coder sometimes writes, is read too.
/// </summary>
public sealed class ToolCallTagParser(IReadOnlyList<ToolDefinition> tools) : ToolRegionParser(tools)
{
    private const string ToolCallOpen = "<tool_call>";
    private const string BareFunctionOpen = "<function=";
    private static readonly string[] Markers = [ToolCallOpen, BareFunctionOpen];

    protected override ReadOnlySpan<string> OpenMarkers => Markers;

    protected override string CloseMarker(string openMarker) =>
        ReferenceEquals(openMarker, ToolCallOpen) ? "</tool_call>" : "</function>";

    protected override int Read(string openMarker, ReadOnlySpan<char> region, bool closed, List<ParsedToolCall> calls)
    {
        if (!ReferenceEquals(openMarker, ToolCallOpen))
        {
            if (!FunctionTagReader.TryReadFunction(region, Tools, out var call))
            {
                return 0;
            }

            calls.Add(call);
            return region.Length;
        }

        var inside = region.TrimStart();
        var read = inside.StartsWith('{')
            ? JsonToolCallReader.TryRead(inside, calls)
            : FunctionTagReader.TryRead(inside, Tools, calls);
        return read ? region.Length : 0;
    }
}
