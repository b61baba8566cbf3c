namespace Switchboard.Egress.OpenAIChat.Profiles;

/// <summary>Whether a model thinks, and whether a request can change that.</summary>
public enum ThinkingAbility
{
    /// <summary>Not known (the generic profile): requests' thinking settings are passed on as configured.</summary>
    Unknown,

    /// <summary>The model does not think.</summary>
    Never,

    /// <summary>Thinking is turned on and off by <see cref="ModelProfile.ThinkingSwitch"/>.</summary>
    Switchable,

    /// <summary>The model always thinks; it cannot be turned off.</summary>
    Always,
}
