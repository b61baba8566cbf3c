using System.Text;
using Switchboard.Canonical;

namespace Switchboard.Tests.Egress.OpenAIChat.Profiles;

/// <summary>
/// Collects what a parser produced, text and tool calls alike, joining neighbouring pieces of the same text kind or
/// the same call, so outputs can be compared however the input was chunked.
/// </summary>
internal sealed class RecordingContentTarget : IContentTarget
{
    private readonly List<Entry> _entries = [];

    /// <summary><c>text:…</c>, <c>thinking:…</c>, or <c>call INDEX ID NAME ARGUMENTS</c> (<c>-</c> for no id).</summary>
    public string[] Entries => [.. _entries.Select(e => e.ToString())];

    public void AppendText(ReadOnlySpan<char> text) => AddProse("text", text);

    public void AppendThinking(ReadOnlySpan<char> thinking) => AddProse("thinking", thinking);

    public void AppendToolCall(int callIndex, string? id, string? name, ReadOnlySpan<char> argumentsFragment)
    {
        if (_entries.Count > 0 && _entries[^1] is { Kind: "call" } last && last.CallIndex == callIndex)
        {
            last.Id ??= id;
            last.Name ??= name;
            last.Text.Append(argumentsFragment);
            return;
        }

        _entries.Add(new Entry("call") { CallIndex = callIndex, Id = id, Name = name });
        _entries[^1].Text.Append(argumentsFragment);
    }

    private void AddProse(string kind, ReadOnlySpan<char> text)
    {
        Assert.False(text.IsEmpty, "a parser should not send empty pieces");
        if (_entries.Count > 0 && _entries[^1].Kind == kind)
        {
            _entries[^1].Text.Append(text);
        }
        else
        {
            _entries.Add(new Entry(kind));
            _entries[^1].Text.Append(text);
        }
    }

    private sealed class Entry(string kind)
    {
        public string Kind { get; } = kind;

        public int CallIndex { get; init; }

        public string? Id { get; set; }

        public string? Name { get; set; }

        public StringBuilder Text { get; } = new();

        public override string ToString() =>
            Kind == "call" ? $"call {CallIndex} {Id ?? "-"} {Name} {Text}" : $"{Kind}:{Text}";
    }
}
