namespace Switchboard.Egress.OpenAIChat.Profiles.Families;

/// <summary>
/// Qwen and Hermes-style models. All call tools in <c>&lt;tool_call&gt;</c>: Qwen2.5, Hermes and Qwen3 with a JSON
/// object inside, Qwen3-Coder and Qwen3.5 with <c>&lt;function=…&gt;</c> XML; one parser reads both. Qwen3's hybrid
/// models think in <c>&lt;think&gt;</c> and are switched with <c>enable_thinking</c>; the 2507 Thinking models and
/// Qwen3.5 open <c>&lt;think&gt;</c> in the prompt; Coder and Instruct models do not think.
/// </summary>
internal static class QwenProfiles
{
    public static ModelProfile Qwen3Coder { get; } = new()
    {
        Name = "qwen3-coder",
        Family = "Qwen3-Coder",
        Patterns = ["*qwen3*coder*"],
        ToolMarkup = tools => new ToolCallTagParser(tools),
        History = ThinkingHistory.Omitted,
        Thinking = ThinkingAbility.Never,
    };

    public static ModelProfile Qwen35 { get; } = new()
    {
        Name = "qwen3.5",
        Family = "Qwen3.5",
        Patterns = ["*qwen3.5*", "*qwen3_5*", "*qwen3-5*"],
        ThinkTags = true,
        ThinkOpensInPrompt = true,
        ToolMarkup = tools => new ToolCallTagParser(tools),
        Thinking = ThinkingAbility.Switchable,
        ThinkingSwitch = "enable_thinking",
    };

    public static ModelProfile Qwen3Thinking { get; } = new()
    {
        Name = "qwen3-thinking",
        Family = "Qwen3 Thinking (2507, Next)",
        Patterns = ["*qwen3*thinking*"],
        ThinkTags = true,
        ThinkOpensInPrompt = true,
        ToolMarkup = tools => new ToolCallTagParser(tools),
        Thinking = ThinkingAbility.Always,
    };

    public static ModelProfile Qwen3Instruct { get; } = new()
    {
        Name = "qwen3-instruct",
        Family = "Qwen3 Instruct (2507, Next)",
        Patterns = ["*qwen3*instruct*"],
        ToolMarkup = tools => new ToolCallTagParser(tools),
        History = ThinkingHistory.Omitted,
        Thinking = ThinkingAbility.Never,
    };

    public static ModelProfile Qwen3 { get; } = new()
    {
        Name = "qwen3",
        Family = "Qwen3",
        Patterns = ["*qwen3*"],
        ThinkTags = true,
        ToolMarkup = tools => new ToolCallTagParser(tools),
        Thinking = ThinkingAbility.Switchable,
        ThinkingSwitch = "enable_thinking",
    };

    public static ModelProfile QwQ { get; } = new()
    {
        Name = "qwq",
        Family = "QwQ",
        Patterns = ["*qwq*"],
        ThinkTags = true,
        ThinkOpensInPrompt = true,
        ToolMarkup = tools => new ToolCallTagParser(tools),
        Thinking = ThinkingAbility.Always,
    };

    public static ModelProfile Hermes { get; } = new()
    {
        Name = "hermes",
        Family = "Qwen2.5 and Hermes",
        Patterns = ["*qwen2*", "*hermes*"],
        ToolMarkup = tools => new ToolCallTagParser(tools),
        History = ThinkingHistory.Omitted,
        Thinking = ThinkingAbility.Never,
    };
}
