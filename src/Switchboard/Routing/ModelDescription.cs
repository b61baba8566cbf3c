using Switchboard.Egress.OpenAIChat.Profiles;

namespace Switchboard.Routing;

/// <summary>
/// A public model as front doors list it, in no upstream's terms: its id, display name, listing time, who offers it,
/// its limits when known and, when known, a summary of the model family profile it runs with.
/// </summary>
/// <param name="CreatedAt">Stable across restarts (see <see cref="ModelDirectory.ListedSince"/>), whole seconds.</param>
/// <param name="MaxInputTokens">The context window: configured, or as the upstream reports it; null when unknown.</param>
/// <param name="MaxOutputTokens">The largest <c>max_tokens</c> the model takes (its configured output limit); null when not set.</param>
public sealed record ModelDescription(
    string Id,
    string DisplayName,
    DateTimeOffset CreatedAt,
    ProfileSummary? Profile = null,
    int? MaxInputTokens = null,
    int? MaxOutputTokens = null)
{
    /// <summary>OpenAI's <c>owned_by</c>: the gateway serves the model, whichever upstream runs it.</summary>
    public const string Owner = "switchboard";
}

/// <summary>What a client may want to know of a model's family profile, chiefly what it means for thinking.</summary>
public sealed record ProfileSummary(string Name, string Family, ThinkingSupport Thinking, string? ThinkingNote)
{
    public static ProfileSummary From(ModelProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var thinking = profile.Thinking switch
        {
            ThinkingAbility.Always => ThinkingSupport.Always,
            ThinkingAbility.Never => ThinkingSupport.Never,
            ThinkingAbility.Switchable => ThinkingSupport.Switchable,
            _ => ThinkingSupport.Unknown,
        };
        return new ProfileSummary(profile.Name, profile.Family, thinking, profile.ThinkingNote());
    }
}

/// <summary>Whether a model thinks, and whether a request can change that.</summary>
public enum ThinkingSupport
{
    Unknown,
    Never,
    Switchable,
    Always,
}
