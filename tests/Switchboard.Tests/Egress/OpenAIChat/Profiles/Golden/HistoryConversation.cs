using Switchboard.Canonical;
using Switchboard.Pipeline;
using Switchboard.Tests.Egress.OpenAIChat;
using static Switchboard.Tests.Egress.OpenAIChat.TestRoutes;

namespace Switchboard.Tests.Egress.OpenAIChat.Profiles.Golden;

/// <summary>
/// The conversation every history golden case sends: a tool loop whose first assistant turn thinks (signed by
/// Switchboard), then a turn whose thinking carries another provider's signature, then a new question.
/// </summary>
internal static class HistoryConversation
{
    public static MessageRequest Request(ThinkingConfig? thinking, string? effort = null) => new()
    {
        Model = "claude-test",
        MaxTokens = 2048,
        System = "You are terse.",
        Tools = [GoldenTools.All[0]],
        Thinking = thinking,
        Effort = effort,
        Messages =
        [
            User(Text("Weather in Paris?")),
            Assistant(
                new ThinkingBlock("Need the weather tool.", Signed("Need the weather tool.")),
                Text("Checking."),
                new ToolUseBlock("toolu_01", "get_weather", """{"city":"Paris"}""")),
            User(new ToolResultBlock("toolu_01", [Text("18°C, sunny")], IsError: false)),
            Assistant(new ThinkingBlock("Copied from elsewhere.", "c2lnbmF0dXJlLWZyb20tZWxzZXdoZXJl"), Text("It is 18°C and sunny.")),
            User(Text("And tomorrow?")),
        ],
    };

    public static string Signed(string thinking) => ThinkingSignature.Sign(StreamRun.Key, thinking);
}
