namespace Switchboard.Egress.OpenAIChat.Profiles;

/// <summary>The form tool-call ids must take in the history sent to a model.</summary>
public enum ToolCallIdStyle
{
    /// <summary>As the client sent them (<c>toolu_…</c>).</summary>
    AsSent,

    /// <summary>
    /// Nine letters and digits: Mistral's chat templates reject any other id. Derived from the original id, so a call
    /// and its result still match.
    /// </summary>
    NineAlphanumeric,
}
