using Switchboard.Canonical;

namespace Switchboard.Egress.OpenAIChat.Profiles;

/// <summary>
/// A family's text parsing put together from two layers: what the first leaves as text goes through the second
/// (thinking tags first, then the family's tool-call markup). Tool calls found in the text are numbered apart from
/// any the model server parsed itself, so the two never merge into one call.
/// </summary>
public sealed class LayeredContentParser : IContentParser
{
    /// <summary>Calls found in the text are numbered from here; model servers number theirs from 0.</summary>
    public const int FirstTextCallIndex = 1 << 20;

    private readonly IContentParser _first;
    private readonly IContentParser? _second;
    private readonly Relay _firstOut;
    private readonly Relay? _secondOut;

    public LayeredContentParser(IContentParser first, IContentParser? second = null)
    {
        _first = first;
        _second = second;
        _secondOut = second is null ? null : new Relay(null, null);
        _firstOut = new Relay(second, _secondOut);
    }

    public void Append(ReadOnlySpan<char> content, IContentTarget target)
    {
        Bind(target);
        _first.Append(content, _firstOut);
    }

    public void Flush(IContentTarget target)
    {
        Bind(target);
        _first.Flush(_firstOut);
        _second?.Flush(_secondOut!);
    }

    public void OnReasoningField()
    {
        _first.OnReasoningField();
        _second?.OnReasoningField();
    }

    private void Bind(IContentTarget target)
    {
        _firstOut.Target = target;
        _secondOut?.Target = target;
    }

    /// <summary>Passes one layer's output on: text to the next layer (or the target), the rest to the target.</summary>
    private sealed class Relay(IContentParser? next, Relay? nextOut) : IContentTarget
    {
        public IContentTarget Target { get; set; } = null!;

        public void AppendText(ReadOnlySpan<char> text)
        {
            if (next is null)
            {
                Target.AppendText(text);
            }
            else
            {
                next.Append(text, nextOut!);
            }
        }

        public void AppendThinking(ReadOnlySpan<char> thinking) => Target.AppendThinking(thinking);

        public void AppendToolCall(int callIndex, string? id, string? name, ReadOnlySpan<char> argumentsFragment) =>
            Target.AppendToolCall(FirstTextCallIndex + callIndex, id, name, argumentsFragment);
    }
}
