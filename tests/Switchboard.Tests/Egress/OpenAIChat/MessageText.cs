using Switchboard.Canonical;

namespace Switchboard.Tests.Egress.OpenAIChat;

/// <summary>A response's content, stop reason and usage as short lines that tests can compare.</summary>
internal static class MessageText
{
    public static string[] Describe(MessageResponse response) =>
    [
        .. response.Content.Select(block => block switch
        {
            ThinkingBlock thinking => $"thinking: {thinking.Thinking}",
            TextBlock text => $"text: {text.Text}",
            ToolUseBlock tool => $"tool {(System.Text.RegularExpressions.Regex.IsMatch(tool.Id, "^toolu_[A-Za-z0-9]{24}$") ? "toolu_*" : tool.Id)} {tool.Name}: {tool.InputJson}",
            _ => block.ToString()!,
        }),
        $"stop: {response.StopReason} {response.StopSequence}".TrimEnd(),
    ];
}
