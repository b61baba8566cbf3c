using System.Text.Json;

namespace Switchboard.Canonical;

public enum ResponseFormatKind
{
    /// <summary>Any valid JSON object (OpenAI's <c>json_object</c>).</summary>
    JsonObject,

    /// <summary>JSON that follows <see cref="ResponseFormat.Schema"/>.</summary>
    JsonSchema,
}

/// <summary>
/// Structured output: Chat Completions' <c>response_format</c> and the Messages API's <c>output_config.format</c>.
/// <see cref="Schema"/> references the request's parsed document.
/// </summary>
public sealed record ResponseFormat(ResponseFormatKind Kind)
{
    /// <summary>The JSON Schema object; absent for <see cref="ResponseFormatKind.JsonObject"/>.</summary>
    public JsonElement? Schema { get; init; }

    /// <summary>The schema's name (OpenAI requires one; the Messages API has none).</summary>
    public string? Name { get; init; }

    public string? Description { get; init; }

    /// <summary>Whether the output must follow the schema exactly; null: not said.</summary>
    public bool? Strict { get; init; }
}
