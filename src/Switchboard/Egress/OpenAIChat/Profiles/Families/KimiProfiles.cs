using Switchboard.Canonical;

namespace Switchboard.Egress.OpenAIChat.Profiles.Families;

/// <summary>
/// Moonshot Kimi K2: tool calls in <c>&lt;|tool_calls_section_begin|&gt;</c>. K2 Thinking always thinks in
/// <c>&lt;think&gt;</c>; K2.5 thinks unless the template's <c>thinking</c> flag is off; K2 Instruct does not think.
/// </summary>
internal static class KimiProfiles
{
    /// <summary>The family's tool-call parser. Declared first: the profiles below read it as they are built.</summary>
    private static readonly Func<IReadOnlyList<ToolDefinition>, IContentParser>? ToolCalls = tools => new KimiK2ToolParser(tools);

    public static ModelProfile K25 { get; } = new()
    {
        Name = "kimi-k2.5",
        Family = "Kimi K2.5",
        Patterns = ["*kimi-k2.5*", "*kimi-k2_5*", "*kimi-k2-5*"],
        ThinkTags = true,
        ToolMarkup = ToolCalls,
        MarkupInSpecialTokens = true,
        Thinking = ThinkingAbility.Switchable,
        ThinkingSwitch = "thinking",
    };

    public static ModelProfile K2Thinking { get; } = new()
    {
        Name = "kimi-k2-thinking",
        Family = "Kimi K2 Thinking",
        Patterns = ["*kimi-k2*thinking*", "*kimi_k2*thinking*"],
        ThinkTags = true,
        ToolMarkup = ToolCalls,
        MarkupInSpecialTokens = true,
        Thinking = ThinkingAbility.Always,
    };

    public static ModelProfile K2 { get; } = new()
    {
        Name = "kimi-k2",
        Family = "Kimi K2 Instruct",
        Patterns = ["*kimi-k2*", "*kimi_k2*"],
        ToolMarkup = ToolCalls,
        MarkupInSpecialTokens = true,
        History = ThinkingHistory.Omitted,
        Thinking = ThinkingAbility.Never,
    };
}
