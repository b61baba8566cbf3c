namespace Switchboard.Egress.OpenAIChat.Profiles;

/// <summary>A tool call read whole from a model's markup: its name and the JSON object text of its input.</summary>
public readonly record struct ParsedToolCall(string Name, string ArgumentsJson);
