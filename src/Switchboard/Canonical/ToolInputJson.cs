using System.Text.Json;

namespace Switchboard.Canonical;

/// <summary>Makes a model's tool-call arguments into the JSON object text the Messages API promises.</summary>
public static class ToolInputJson
{
    /// <summary>
    /// The arguments as a JSON object: the same function the streamed path applies (<see cref="ToolArgumentsRepair"/>),
    /// so a malformed call never breaks the response and both modes agree.
    /// </summary>
    public static string Normalize(string raw) => ToolArgumentsRepair.Repair(raw, out _);

    public static bool IsObject(string raw)
    {
        try
        {
            using var document = JsonDocument.Parse(raw);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
