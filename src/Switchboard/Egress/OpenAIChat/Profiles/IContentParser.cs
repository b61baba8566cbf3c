using Switchboard.Canonical;

namespace Switchboard.Egress.OpenAIChat.Profiles;

/// <summary>
/// Reads a model's visible text as it streams and separates what a model family embeds in it (thinking tags,
/// later tool-call markup) into the right kind of content. One instance per message: parsers keep state across
/// chunks, because a marker can be split anywhere.
/// </summary>
public interface IContentParser
{
    void Append(ReadOnlySpan<char> content, IContentTarget target);

    /// <summary>The upstream is done: release anything held back while waiting to see if a marker started.</summary>
    void Flush(IContentTarget target);

    /// <summary>
    /// The upstream sent reasoning in a field of its own: the model server separates this model's thinking itself,
    /// so the text that follows is not thinking even where the chat template opened a thinking tag in the prompt.
    /// </summary>
    void OnReasoningField()
    {
    }
}
