using System.Text.Json;
using Switchboard.Pipeline;

namespace Switchboard.Batches;

/// <summary>A batch request's stored params, parsed, as the pipeline reads a body.</summary>
internal sealed class ParamsJson(JsonDocument document) : IRequestJson
{
    public JsonElement RootElement => document.RootElement;

    /// <summary>The requested model, or null when there is none to read (the pipeline's reader words that error).</summary>
    public string? Model =>
        RootElement.ValueKind == JsonValueKind.Object && RootElement.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.String
            ? model.GetString()
            : null;

    public void Dispose() => document.Dispose();
}
