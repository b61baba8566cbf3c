using Switchboard.Canonical;
using Switchboard.Egress.OpenAIChat.Profiles;

namespace Switchboard.Tests.Egress.OpenAIChat.Profiles.Golden;

/// <summary>One golden case: a family's raw output and the Anthropic blocks it must become.</summary>
/// <param name="Profile">The profile name.</param>
/// <param name="Raw">What the model wrote, as a server without parsers returns it in <c>content</c>.</param>
/// <param name="Expected">The blocks as <see cref="GoldenRun.Describe"/> lines.</param>
/// <param name="Thinking">The request's thinking setting (it decides whether a template opened thinking).</param>
internal sealed record ProfileOutputCase(string Profile, string Raw, string[] Expected, ThinkingMode? Thinking = null)
{
    public IContentParser NewParser() => GoldenTools.Parser(Profile, Thinking);
}
