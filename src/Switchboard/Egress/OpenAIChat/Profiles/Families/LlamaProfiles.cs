using Switchboard.Canonical;

namespace Switchboard.Egress.OpenAIChat.Profiles.Families;

/// <summary>Meta Llama 3.x: JSON tool calls in the text (<c>{"name": …, "parameters": {…}}</c>); no thinking.</summary>
internal static class LlamaProfiles
{
    /// <summary>The family's tool-call parser. Declared first: the profiles below read it as they are built.</summary>
    private static readonly Func<IReadOnlyList<ToolDefinition>, IContentParser>? ToolCalls = tools => new LlamaJsonToolParser(tools);

    public static ModelProfile Llama3 { get; } = new()
    {
        Name = "llama3",
        Family = "Llama 3.x",
        Patterns = ["*llama-3*", "*llama3*", "*llama_3*"],
        ToolMarkup = ToolCalls,
        History = ThinkingHistory.Omitted,
        Thinking = ThinkingAbility.Never,
    };
}
