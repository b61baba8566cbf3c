using Switchboard.Configuration;
using Switchboard.Egress.OpenAIChat.Profiles.Families;
using Switchboard.Routing;

namespace Switchboard.Egress.OpenAIChat.Profiles;

/// <summary>
/// The known model families, and the choice of one for a model: by the model's <c>Profile</c> setting when given,
/// otherwise by the first profile whose pattern matches the upstream model name (so <c>MiniMax-M2.7</c> picks
/// <c>minimax-m2</c> on its own), otherwise <c>generic</c>. The model's own switches then override the family's
/// defaults.
/// </summary>
public static class ProfileCatalog
{
    /// <summary>Today's behaviour for models of no known family.</summary>
    public static ModelProfile Generic => GenericProfile.Profile;

    /// <summary>Every profile in match order: more specific patterns before the broader ones of the same family.</summary>
    public static IReadOnlyList<ModelProfile> All { get; } =
    [
        GptOssProfile.Profile,
        MiniMaxProfiles.M2,
        QwenProfiles.Qwen3Coder,
        QwenProfiles.Qwen35,
        QwenProfiles.Qwen3Thinking,
        QwenProfiles.Qwen3Instruct,
        QwenProfiles.Qwen3,
        QwenProfiles.QwQ,
        QwenProfiles.Hermes,
        DeepSeekProfiles.R1,
        DeepSeekProfiles.V31,
        DeepSeekProfiles.V3,
        GlmProfiles.Glm47,
        GlmProfiles.Glm45,
        KimiProfiles.K25,
        KimiProfiles.K2Thinking,
        KimiProfiles.K2,
        LlamaProfiles.Llama3,
        MistralProfiles.Mistral,
        GenericProfile.Profile,
    ];

    /// <summary>A profile by its configuration name (case-insensitive), or null.</summary>
    public static ModelProfile? Find(string name)
    {
        foreach (var profile in All)
        {
            if (string.Equals(profile.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return profile;
            }
        }

        return null;
    }

    /// <summary>The first profile whose pattern matches <paramref name="upstreamModel"/>, or <see cref="Generic"/>.</summary>
    public static ModelProfile Detect(string upstreamModel)
    {
        foreach (var profile in All)
        {
            foreach (var pattern in profile.Patterns)
            {
                if (Glob.IsMatch(pattern, upstreamModel))
                {
                    return profile;
                }
            }
        }

        return Generic;
    }

    /// <summary>
    /// The profile a model runs with: named or detected, with the model's <c>ThinkTags</c>, <c>ReasoningEffort</c>
    /// and <c>ThinkingSwitch</c> applied over the family's defaults. An unknown <c>Profile</c> name is a
    /// configuration error.
    /// </summary>
    public static ModelProfile For(ModelOptions model, string upstreamModel)
    {
        ArgumentNullException.ThrowIfNull(model);
        var profile = model.Profile is { Length: > 0 } name
            ? Find(name) ?? throw new InvalidOperationException(UnknownProfileMessage(model.Name, name))
            : Detect(upstreamModel);

        if (model.ThinkTags is { } thinkTags)
        {
            profile = profile with { ThinkTags = thinkTags };
        }

        if (model.ReasoningEffort is { } effort)
        {
            profile = profile with { ReasoningEffort = effort };
        }

        if (model.ThinkingSwitch is { } key)
        {
            var none = key.Length == 0 || key.Equals("none", StringComparison.OrdinalIgnoreCase);
            profile = profile with
            {
                ThinkingSwitch = none ? null : key,
                Thinking = none || profile.Thinking == ThinkingAbility.Unknown ? profile.Thinking : ThinkingAbility.Switchable,
            };
        }

        return profile;
    }

    public static string UnknownProfileMessage(string model, string profile) =>
        $"Model '{model}': unknown Profile '{profile}'. Known profiles: {string.Join(", ", All.Select(p => p.Name))}.";
}
