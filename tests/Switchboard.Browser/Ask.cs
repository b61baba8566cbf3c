using Anthropic.Models.Messages;

namespace Switchboard.Browser;

internal static class Ask
{
    public static MessageCreateParams Hello(string text = "Hello") => new()
    {
        Model = DashboardHost.Model,
        MaxTokens = 64,
        Messages = [new UserMessageParam(text)],
    };
}
