namespace Switchboard.Egress.OpenAIChat.Profiles;

/// <summary>
/// A tool call read whole from a model's markup: its name, the JSON object text of its input, and the id the markup
/// gives it, if any (Kimi's <c>functions.NAME:IDX</c>).
/// </summary>
public readonly record struct ParsedToolCall(string Name, string ArgumentsJson, string? Id = null);
