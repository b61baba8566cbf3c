using Switchboard.Canonical;
using Switchboard.Pipeline;
using Switchboard.Tests.Egress.OpenAIChat;
using static Switchboard.Tests.Egress.OpenAIChat.TestRoutes;

namespace Switchboard.Tests.Pipeline;

public sealed class ThinkingReplayTests
{
    private static string Signed(string text) => ThinkingSignature.Sign(StreamRun.Key, text);

    [Fact]
    public void Own_thinking_is_kept_and_nothing_is_copied()
    {
        IReadOnlyList<Message> messages = [User(Text("q")), Assistant(new ThinkingBlock("plan", Signed("plan")), Text("a"))];

        var kept = ThinkingReplay.KeepOwn(messages, StreamRun.Key, out var dropped);

        Assert.Same(messages, kept);
        Assert.Equal(0, dropped);
    }

    [Theory]
    [InlineData("")]
    [InlineData("EqHBCkYIBxgCKkBFb3JlaWduIHNpZ25hdHVyZQ==")]
    [InlineData("AQ==")]
    public void Thinking_without_switchboards_signature_is_dropped(string signature)
    {
        IReadOnlyList<Message> messages =
        [
            User(Text("q")),
            Assistant(new ThinkingBlock("foreign", signature), new RedactedThinkingBlock("opaque"), Text("a")),
            User(Text("more")),
        ];

        var kept = ThinkingReplay.KeepOwn(messages, StreamRun.Key, out var dropped);

        Assert.Equal(1, dropped);
        Assert.Equal(3, kept.Count);
        Assert.Same(messages[0], kept[0]);
        Assert.Equal([typeof(RedactedThinkingBlock), typeof(TextBlock)], kept[1].Content.Select(b => b.GetType()));
        Assert.Same(messages[2], kept[2]);
    }

    [Fact]
    public void Thinking_from_a_dialect_without_signatures_goes_back_as_sent()
    {
        // Chat Completions' reasoning_content: the client's own record of the model's reasoning, with nothing to verify.
        IReadOnlyList<Message> messages =
        [
            User(Text("q")),
            Assistant(new ThinkingBlock("Need the weather tool.", "") { Unsigned = true }, Text("a")),
            User(Text("more")),
        ];

        var kept = ThinkingReplay.KeepOwn(messages, StreamRun.Key, out var dropped);

        Assert.Same(messages, kept);
        Assert.Equal(0, dropped);
    }

    [Fact]
    public void Edited_thinking_no_longer_verifies()
    {
        IReadOnlyList<Message> messages = [Assistant(new ThinkingBlock("plan B", Signed("plan A")), Text("a"))];

        var kept = ThinkingReplay.KeepOwn(messages, StreamRun.Key, out var dropped);

        Assert.Equal(1, dropped);
        Assert.Equal([typeof(TextBlock)], kept[0].Content.Select(b => b.GetType()));
    }

    [Fact]
    public void A_signature_made_with_another_key_is_foreign()
    {
        var otherKey = Enumerable.Repeat((byte)7, 32).ToArray();
        IReadOnlyList<Message> messages = [Assistant(new ThinkingBlock("plan", ThinkingSignature.Sign(otherKey, "plan")))];

        ThinkingReplay.KeepOwn(messages, StreamRun.Key, out var dropped);

        Assert.Equal(1, dropped);
    }

    [Fact]
    public void A_target_that_checks_signatures_gets_the_upstreams_thinking_marked_and_never_switchboards_own()
    {
        IReadOnlyList<Message> messages =
        [
            User(Text("q")),
            Assistant(
                new ThinkingBlock("own", Signed("own")),
                new ThinkingBlock("theirs", "EqHBCkYIBxgCKkBupstream"),
                new ThinkingBlock("plain", "") { Unsigned = true },
                new ThinkingBlock("empty", ""),
                Text("a")),
        ];

        var kept = ThinkingReplay.ForTarget(messages, StreamRun.Key, targetChecksSignatures: true, out var dropped);

        Assert.Equal(3, dropped);
        Assert.Equal([new ThinkingBlock("theirs", "EqHBCkYIBxgCKkBupstream") { SignedBy = SignedBy.Upstream }, Text("a")], kept[1].Content);
    }

    [Fact]
    public void Upstream_thinking_already_marked_and_no_thinking_at_all_leave_nothing_dropped()
    {
        IReadOnlyList<Message> messages = [User(Text("q")), Assistant(new ThinkingBlock("theirs", "sig") { SignedBy = SignedBy.Upstream }, Text("a"))];

        var kept = ThinkingReplay.ForTarget(messages, StreamRun.Key, targetChecksSignatures: true, out var dropped);

        Assert.Equal(0, dropped);
        Assert.Same(messages, kept);
    }
}
