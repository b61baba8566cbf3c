using System.Text.Json;
using Switchboard.Canonical;
using Switchboard.Routing.Pools;

namespace Switchboard.Tests.Routing.Pools;

public sealed class AffinityKeyTests
{
    private static readonly string LongSystem = new('s', 30_000);

    private static MessageRequest Conversation(string opener, int turns, string? system = null, string? userId = null) => new()
    {
        Model = "m",
        MaxTokens = 100,
        System = system ?? LongSystem,
        UserId = userId,
        Messages = [.. Enumerable.Range(0, turns).SelectMany(t => new[]
        {
            new Message(Role.User, [new TextBlock(t == 0 ? opener : $"tool result {t}")]),
            new Message(Role.Assistant, [new TextBlock($"answer {t}")]),
        }).SkipLast(1)],
    };

    [Fact]
    public void Without_a_session_a_conversation_keeps_its_key_from_turn_to_turn_and_two_conversations_differ_despite_a_long_shared_system_prompt()
    {
        var first = AffinityKey.Of("m", null, Conversation("fix the parser", 1));

        Assert.Equal(first, AffinityKey.Of("m", null, Conversation("fix the parser", 5)));
        Assert.NotEqual(first, AffinityKey.Of("m", null, Conversation("write the docs", 1)));
        Assert.NotEqual(first, AffinityKey.Of("other-model", null, Conversation("fix the parser", 1)));
    }

    [Fact]
    public void A_named_session_wins_over_the_prompt_header_first_then_prompt_cache_key_then_user()
    {
        var header = AffinityKey.Of("m", "session-1", Conversation("a", 1, userId: "u"));

        Assert.Equal(header, AffinityKey.Of("m", "session-1", Conversation("b", 3, userId: "v")));
        Assert.NotEqual(header, AffinityKey.Of("m", "session-2", Conversation("a", 1)));
        var cacheKey = Conversation("a", 1, userId: "u") with { PassThrough = [new PassThroughField("prompt_cache_key", JsonDocument.Parse("\"pck\"").RootElement)] };
        Assert.Equal(AffinityKey.Of("m", "pck", Conversation("zzz", 1)), AffinityKey.Of("m", null, cacheKey));
        Assert.Equal(AffinityKey.Of("m", null, Conversation("x", 1, userId: "u")), AffinityKey.Of("m", null, Conversation("y", 2, userId: "u")));
    }

    [Fact]
    public void The_first_session_header_present_is_taken()
    {
        var headers = new Dictionary<string, string> { ["session-id"] = "codex-session", ["x-session-id"] = "other" };

        Assert.Equal("codex-session", AffinityKey.FromHeaders(name => headers.GetValueOrDefault(name)));
        Assert.Null(AffinityKey.FromHeaders(_ => null));
    }
}
