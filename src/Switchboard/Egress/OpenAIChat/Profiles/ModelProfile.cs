using Switchboard.Canonical;

namespace Switchboard.Egress.OpenAIChat.Profiles;

/// <summary>
/// What Switchboard knows about one model family: how it writes reasoning and tool calls in raw text (for model
/// servers that leave them there), how earlier reasoning goes back to it, and how it is told to think or not.
/// Chosen per model by <see cref="ProfileCatalog"/>; a model's own settings override the family's defaults.
/// </summary>
public sealed record ModelProfile
{
    /// <summary>The name used in configuration (<c>Models[i].Profile</c>), e.g. <c>minimax-m2</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The family in words, for the models list and logs.</summary>
    public required string Family { get; init; }

    /// <summary>Globs (<c>*</c>, <c>?</c>, case-insensitive) on the upstream model name that pick this profile.</summary>
    public IReadOnlyList<string> Patterns { get; init; } = [];

    /// <summary>The model writes its reasoning as <c>&lt;think&gt;…&lt;/think&gt;</c> in the text.</summary>
    public bool ThinkTags { get; init; }

    /// <summary>
    /// The chat template opens <c>&lt;think&gt;</c> in the prompt when the model thinks, so raw output starts inside
    /// thinking and only closes it.
    /// </summary>
    public bool ThinkOpensInPrompt { get; init; }

    /// <summary>The family's tool-call markup in raw text; null when it has none Switchboard reads.</summary>
    public Func<IReadOnlyList<ToolDefinition>, IContentParser>? ToolMarkup { get; init; }

    /// <summary>
    /// A parser for the whole text, for families whose markup carries reasoning and tool calls alike (gpt-oss
    /// Harmony channels). When set, <see cref="ThinkTags"/> and <see cref="ToolMarkup"/> are not used.
    /// </summary>
    public Func<IReadOnlyList<ToolDefinition>, IContentParser>? Channels { get; init; }

    /// <summary>
    /// The tool markup is made of special tokens (<c>[TOOL_CALLS]</c>, <c>&lt;|tool_call_begin|&gt;</c>), which model
    /// servers drop from the text unless asked not to; Switchboard then sends <c>skip_special_tokens: false</c>.
    /// </summary>
    public bool MarkupInSpecialTokens { get; init; }

    /// <summary>How thinking blocks of earlier turns go back to the model.</summary>
    public ThinkingHistory History { get; init; } = ThinkingHistory.ReasoningContentField;

    /// <summary>The form tool-call ids must take in the history.</summary>
    public ToolCallIdStyle ToolCallIds { get; init; }

    /// <summary>Whether the model thinks, and whether that can be switched.</summary>
    public ThinkingAbility Thinking { get; init; } = ThinkingAbility.Unknown;

    /// <summary>For a switchable model: whether it thinks when the request does not say.</summary>
    public bool ThinksByDefault { get; init; } = true;

    /// <summary>The model takes <c>reasoning_effort</c> (low, medium, high).</summary>
    public bool ReasoningEffort { get; init; }

    /// <summary>The <c>chat_template_kwargs</c> key that turns thinking on and off; null when there is none.</summary>
    public string? ThinkingSwitch { get; init; }

    /// <summary>Whether the model will think for this request, as far as Switchboard can tell.</summary>
    public bool ThinksFor(MessageRequest request) => Thinking switch
    {
        ThinkingAbility.Never => false,
        ThinkingAbility.Always => true,
        _ when ThinkingSwitch is not null && request.Thinking is { } thinking => thinking.Mode != ThinkingMode.Disabled,
        _ => ThinksByDefault,
    };

    /// <summary>A parser for one answer's text, for the request's tools and thinking setting.</summary>
    public IContentParser CreateParser(MessageRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Channels is { } channels)
        {
            return new LayeredContentParser(channels(request.Tools));
        }

        // Without tools there is nothing to call: markup-like text stays text.
        var markup = request.Tools.Count > 0 ? ToolMarkup?.Invoke(request.Tools) : null;
        var think = ThinkTags ? new ThinkTagParser(ThinkOpensInPrompt && ThinksFor(request)) : null;
        return (think, markup) switch
        {
            (null, null) => new PlainContentParser(),
            (null, { } tools) => new LayeredContentParser(tools),
            ({ } tags, null) => tags,
            ({ } tags, { } tools) => new LayeredContentParser(tags, tools),
        };
    }

    /// <summary>
    /// What a client should know about thinking on this model, for the models list; null when there is nothing
    /// beyond the Messages API's own behaviour to say.
    /// </summary>
    public string? ThinkingNote() => Thinking switch
    {
        ThinkingAbility.Always when ReasoningEffort =>
            "Thinking cannot be turned off; thinking disabled is sent as reasoning_effort low.",
        ThinkingAbility.Always => "Thinking cannot be turned off; thinking settings are ignored.",
        ThinkingAbility.Never => "This model does not think; thinking settings are ignored.",
        ThinkingAbility.Switchable when ThinkingSwitch is not null =>
            $"Thinking is switched with chat_template_kwargs.{ThinkingSwitch}.",
        _ => null,
    };
}
