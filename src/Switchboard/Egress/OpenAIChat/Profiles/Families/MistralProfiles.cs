using Switchboard.Canonical;

namespace Switchboard.Egress.OpenAIChat.Profiles.Families;

/// <summary>
/// Mistral, Mixtral, Devstral, Codestral and Ministral: <c>[TOOL_CALLS]</c> tool calls; no thinking. Their chat
/// templates accept only nine-character alphanumeric tool-call ids, so the history's ids are rewritten to that form.
/// </summary>
internal static class MistralProfiles
{
    /// <summary>The family's tool-call parser. Declared first: the profiles below read it as they are built.</summary>
    private static readonly Func<IReadOnlyList<ToolDefinition>, IContentParser>? ToolCalls = tools => new MistralToolParser(tools);

    public static ModelProfile Mistral { get; } = new()
    {
        Name = "mistral",
        Family = "Mistral",
        Patterns = ["*mistral*", "*mixtral*", "*devstral*", "*codestral*", "*ministral*"],
        ToolMarkup = ToolCalls,
        MarkupInSpecialTokens = true,
        History = ThinkingHistory.Omitted,
        ToolCallIds = ToolCallIdStyle.NineAlphanumeric,
        Thinking = ThinkingAbility.Never,
    };
}
