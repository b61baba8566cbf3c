namespace Switchboard.Egress.OpenAIChat.Profiles.Families;

/// <summary>
/// Models of no known family: visible text is text (or split at <c>&lt;think&gt;</c> tags when the model's
/// <c>ThinkTags</c> says so), earlier thinking goes back as <c>reasoning_content</c>, and thinking settings are
/// passed on as <c>reasoning_effort</c> and the configured switch.
/// </summary>
internal static class GenericProfile
{
    public static ModelProfile Profile { get; } = new()
    {
        Name = "generic",
        Family = "Any OpenAI-compatible model",
        ReasoningEffort = true,
    };
}
