namespace Switchboard.Egress.OpenAIChat.Profiles.Families;

/// <summary>
/// DeepSeek. R1 always thinks, its template opening <c>&lt;think&gt;</c> in the prompt; V3.1 and later switch thinking
/// with the template's <c>thinking</c> flag (off unless asked) and open <c>&lt;think&gt;</c> in the prompt when on; V3
/// does not think. All call tools with the <c>&lt;｜tool▁calls▁begin｜&gt;</c> markup, and DeepSeek's reasoner
/// needs its reasoning back as <c>reasoning_content</c> during tool loops.
/// </summary>
/// <remarks>V3.2's newer DSML tool markup is not read; V3.2 served with the V3.1 markup is.</remarks>
internal static class DeepSeekProfiles
{
    public static ModelProfile R1 { get; } = new()
    {
        Name = "deepseek-r1",
        Family = "DeepSeek R1",
        Patterns = ["*deepseek-r1*", "*deepseek_r1*", "*deepseek-reasoner*"],
        ThinkTags = true,
        ThinkOpensInPrompt = true,
        ToolMarkup = tools => new DeepSeekToolParser(tools),
        Thinking = ThinkingAbility.Always,
    };

    public static ModelProfile V31 { get; } = new()
    {
        Name = "deepseek-v3.1",
        Family = "DeepSeek V3.1 and later",
        Patterns = ["*deepseek-v3.1*", "*deepseek-v3_1*", "*deepseek-v3-1*", "*deepseek-v3.2*", "*deepseek-v3_2*", "*deepseek-v3-2*"],
        ThinkTags = true,
        ThinkOpensInPrompt = true,
        ToolMarkup = tools => new DeepSeekToolParser(tools),
        Thinking = ThinkingAbility.Switchable,
        ThinksByDefault = false,
        ThinkingSwitch = "thinking",
    };

    public static ModelProfile V3 { get; } = new()
    {
        Name = "deepseek-v3",
        Family = "DeepSeek V3",
        Patterns = ["*deepseek-v3*", "*deepseek_v3*", "*deepseek-chat*"],
        ToolMarkup = tools => new DeepSeekToolParser(tools),
        History = ThinkingHistory.Omitted,
        Thinking = ThinkingAbility.Never,
    };
}
