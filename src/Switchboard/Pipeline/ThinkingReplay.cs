using Switchboard.Canonical;

namespace Switchboard.Pipeline;

/// <summary>
/// Decides which thinking blocks of a conversation go back to the model: only those Switchboard produced and the
/// client returned untouched, recognised by their signature (Switchboard's keyed MAC of exactly that text). A block
/// with another provider's signature, an empty one, or edited text is not this model's reasoning as far as
/// Switchboard can tell, and is not sent upstream. Thinking read from a dialect without signatures
/// (<see cref="ThinkingBlock.Unsigned"/>: Chat Completions' <c>reasoning_content</c>) has nothing to verify and is the
/// client's record of this conversation, so it goes back as sent.
/// </summary>
public static class ThinkingReplay
{
    /// <summary>
    /// The messages without thinking blocks that fail verification, and how many were removed. The same list comes
    /// back when nothing is removed.
    /// </summary>
    public static IReadOnlyList<Message> KeepOwn(IReadOnlyList<Message> messages, ReadOnlySpan<byte> key, out int dropped)
    {
        ArgumentNullException.ThrowIfNull(messages);
        dropped = 0;
        List<Message>? kept = null;
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            var content = message.Role == Role.Assistant ? Verified(message.Content, key, ref dropped) : message.Content;
            if (!ReferenceEquals(content, message.Content) && kept is null)
            {
                kept = [.. messages.Take(i)];
            }

            kept?.Add(ReferenceEquals(content, message.Content) ? message : message with { Content = content });
        }

        return kept ?? messages;
    }

    private static IReadOnlyList<ContentBlock> Verified(IReadOnlyList<ContentBlock> content, ReadOnlySpan<byte> key, ref int dropped)
    {
        List<ContentBlock>? kept = null;
        for (var i = 0; i < content.Count; i++)
        {
            var block = content[i];
            var foreign = block is ThinkingBlock { Unsigned: false } thinking && !ThinkingSignature.Verify(key, thinking.Thinking, thinking.Signature);
            if (foreign)
            {
                dropped++;
                kept ??= [.. content.Take(i)];
            }
            else
            {
                kept?.Add(block);
            }
        }

        return kept ?? content;
    }
}
