using System.Text;
using Switchboard.Canonical;

namespace Switchboard.Tests.Egress.OpenAIChat.Profiles;

/// <summary>Collects what a parser produced, joining neighbouring pieces of the same kind.</summary>
internal sealed class RecordingTarget : IContentTarget
{
    private readonly List<(string Kind, StringBuilder Text)> _segments = [];

    public string[] Segments => [.. _segments.Select(s => $"{s.Kind}:{s.Text}")];

    public void AppendText(ReadOnlySpan<char> text) => Add("text", text);

    public void AppendThinking(ReadOnlySpan<char> thinking) => Add("thinking", thinking);

    public void AppendToolCall(int callIndex, string? id, string? name, ReadOnlySpan<char> argumentsFragment) =>
        throw new InvalidOperationException("content parsers make no tool calls yet");

    private void Add(string kind, ReadOnlySpan<char> text)
    {
        Assert.False(text.IsEmpty, "a parser should not send empty pieces");
        if (_segments.Count > 0 && _segments[^1].Kind == kind)
        {
            _segments[^1].Text.Append(text);
        }
        else
        {
            _segments.Add((kind, new StringBuilder().Append(text)));
        }
    }
}
