namespace Switchboard.Egress.OpenAIChat.Profiles.Families;

/// <summary>
/// MiniMax M2.x: the template opens <c>&lt;think&gt;</c> in the prompt on every turn (thinking cannot be turned
/// off), tool calls are <c>&lt;minimax:tool_call&gt;&lt;invoke name=…&gt;</c>, and MiniMax documents that earlier
/// thinking must stay in the assistant's content as <c>&lt;think&gt;…&lt;/think&gt;</c> between tool calls.
/// </summary>
internal static class MiniMaxProfiles
{
    public static ModelProfile M2 { get; } = new()
    {
        Name = "minimax-m2",
        Family = "MiniMax M2.x",
        Patterns = ["*minimax-m2*", "*minimax_m2*", "*minimaxm2*"],
        ThinkTags = true,
        ThinkOpensInPrompt = true,
        ToolMarkup = tools => new MiniMaxToolParser(tools),
        History = ThinkingHistory.InlineThinkTags,
        Thinking = ThinkingAbility.Always,
    };
}
