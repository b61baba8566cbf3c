namespace Switchboard.Egress.OpenAIChat.Profiles.Families;

/// <summary>
/// OpenAI gpt-oss: Harmony channels (<c>analysis</c> thinking, <c>final</c> text, <c>commentary to=functions.NAME</c>
/// tool calls). It always reasons; <c>reasoning_effort</c> sets how much, so disabled thinking becomes low effort.
/// vLLM reads earlier reasoning from <c>reasoning</c>, llama.cpp from <c>reasoning_content</c>: both are sent.
/// </summary>
internal static class GptOssProfile
{
    public static ModelProfile Profile { get; } = new()
    {
        Name = "gpt-oss",
        Family = "OpenAI gpt-oss (Harmony)",
        Patterns = ["*gpt-oss*", "*gpt_oss*", "*gptoss*"],
        Channels = _ => new HarmonyParser(),
        History = ThinkingHistory.BothReasoningFields,
        Thinking = ThinkingAbility.Always,
        ReasoningEffort = true,
    };
}
