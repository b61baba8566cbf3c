using Switchboard.Canonical;

namespace Switchboard.Egress.OpenAIChat.Profiles.Families;

/// <summary>
/// Zhipu GLM-4.5, 4.6 and 4.7: <c>&lt;think&gt;</c> reasoning switched with <c>enable_thinking</c> (4.7's template
/// opens it in the prompt), tool calls as <c>&lt;tool_call&gt;NAME&lt;arg_key&gt;…&lt;arg_value&gt;…</c>, earlier
/// reasoning back as <c>reasoning_content</c>.
/// </summary>
internal static class GlmProfiles
{
    /// <summary>The family's tool-call parser. Declared first: the profiles below read it as they are built.</summary>
    private static readonly Func<IReadOnlyList<ToolDefinition>, IContentParser>? ToolCalls = tools => new Glm45ToolParser(tools);

    public static ModelProfile Glm47 { get; } = new()
    {
        Name = "glm-4.7",
        Family = "GLM-4.7",
        Patterns = ["*glm-4.7*", "*glm4.7*", "*glm-4_7*"],
        ThinkTags = true,
        ThinkOpensInPrompt = true,
        ToolMarkup = ToolCalls,
        Thinking = ThinkingAbility.Switchable,
        ThinkingSwitch = "enable_thinking",
    };

    public static ModelProfile Glm45 { get; } = new()
    {
        Name = "glm-4.5",
        Family = "GLM-4.5 and 4.6",
        Patterns = ["*glm-4.5*", "*glm4.5*", "*glm-4_5*", "*glm-4.6*", "*glm4.6*", "*glm-4_6*"],
        ThinkTags = true,
        ToolMarkup = ToolCalls,
        Thinking = ThinkingAbility.Switchable,
        ThinkingSwitch = "enable_thinking",
    };
}
