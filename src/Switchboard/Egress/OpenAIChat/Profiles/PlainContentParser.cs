using Switchboard.Canonical;

namespace Switchboard.Egress.OpenAIChat.Profiles;

/// <summary>For models whose visible text carries no markup: everything is text.</summary>
public sealed class PlainContentParser : IContentParser
{
    public void Append(ReadOnlySpan<char> content, IContentTarget target) => target.AppendText(content);

    public void Flush(IContentTarget target)
    {
    }
}
