using System.Text.Json;

namespace Switchboard.Canonical;

/// <summary>
/// A declared tool Switchboard does not run or translate (<c>web_search_20250305</c>, an MCP toolset …), kept as the
/// client's raw JSON in its dialect. <see cref="Refusal"/> set: an upstream that does not allow it refuses the
/// request with that reason (Anthropic-defined server tools); null: such an upstream ignores it, with a log line.
/// </summary>
public sealed record RawTool(string Dialect, string Type, JsonElement Json)
{
    /// <summary>The log line for an upstream that ignores the tool.</summary>
    public string Note { get; init; } = "";

    public string? Refusal { get; init; }
}
