using Switchboard.Canonical;

namespace Switchboard.Tests.Egress.OpenAIChat.Profiles;

/// <summary>Records every piece a parser sends, tool calls included, in order and unjoined.</summary>
internal sealed class CallRecorder : IContentTarget
{
    public List<string> Pieces { get; } = [];

    public List<int> CallIndexes { get; } = [];

    public void AppendText(ReadOnlySpan<char> text) => Pieces.Add($"text:{text}");

    public void AppendThinking(ReadOnlySpan<char> thinking) => Pieces.Add($"thinking:{thinking}");

    public void AppendToolCall(int callIndex, string? id, string? name, ReadOnlySpan<char> argumentsFragment)
    {
        CallIndexes.Add(callIndex);
        Pieces.Add($"call:{name}:{argumentsFragment}");
    }
}
