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
    public static IReadOnlyList<Message> KeepOwn(IReadOnlyList<Message> messages, ReadOnlySpan<byte> key, out int dropped) =>
        ForTarget(messages, key, targetChecksSignatures: false, out dropped);

    /// <summary>
    /// The messages as a target may see them. A target that checks thinking signatures itself (an
    /// Anthropic-compatible upstream) gets the blocks another signer signed, marked <see cref="SignedBy.Upstream"/>,
    /// and not Switchboard's own or unsigned ones, whose signatures it could never accept; any other target gets what
    /// <see cref="KeepOwn"/> keeps.
    /// </summary>
    public static IReadOnlyList<Message> ForTarget(IReadOnlyList<Message> messages, ReadOnlySpan<byte> key, bool targetChecksSignatures, out int dropped)
    {
        ArgumentNullException.ThrowIfNull(messages);
        dropped = 0;
        List<Message>? kept = null;
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            var content = message.Role != Role.Assistant ? message.Content
                : targetChecksSignatures ? SignedElsewhere(message.Content, key, ref dropped) : Verified(message.Content, key, ref dropped);
            if (!ReferenceEquals(content, message.Content) && kept is null)
            {
                kept = [.. messages.Take(i)];
            }

            kept?.Add(ReferenceEquals(content, message.Content) ? message : message with { Content = content });
        }

        return kept ?? messages;
    }

    private static IReadOnlyList<ContentBlock> SignedElsewhere(IReadOnlyList<ContentBlock> content, ReadOnlySpan<byte> key, ref int dropped)
    {
        List<ContentBlock>? kept = null;
        for (var i = 0; i < content.Count; i++)
        {
            var block = content[i];
            if (block is not ThinkingBlock thinking || thinking.SignedBy == SignedBy.Upstream)
            {
                kept?.Add(block);
                continue;
            }

            kept ??= [.. content.Take(i)];
            if (thinking.Unsigned || thinking.Signature.Length == 0 || ThinkingSignature.Verify(key, thinking.Thinking, thinking.Signature))
            {
                dropped++;
            }
            else
            {
                kept.Add(thinking with { SignedBy = SignedBy.Upstream });
            }
        }

        return kept ?? content;
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
