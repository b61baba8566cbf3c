using System.Text.Json;
using Switchboard.Canonical;

namespace Switchboard.Egress.OpenAIChat;

/// <summary>Writes <c>tools</c>, <c>tool_choice</c> and <c>parallel_tool_calls</c>.</summary>
internal static class ChatToolsWriter
{
    public static void Write(Utf8JsonWriter json, MessageRequest request)
    {
        WriteTools(json, request.Tools);

        // Model servers reject a tool_choice without tools (vLLM: "tools must be set"); with no tools there is
        // nothing to choose, so the setting is left out.
        if (request.Tools.Count == 0 || request.ToolChoice is not { } choice)
        {
            return;
        }

        switch (choice.Kind)
        {
            case ToolChoiceKind.Auto:
                json.WriteString("tool_choice", "auto");
                break;
            case ToolChoiceKind.Any:
                json.WriteString("tool_choice", "required");
                break;
            case ToolChoiceKind.None:
                json.WriteString("tool_choice", "none");
                break;
            case ToolChoiceKind.Tool:
                json.WriteStartObject("tool_choice");
                json.WriteString("type", "function");
                json.WriteStartObject("function");
                json.WriteString("name", choice.Name);
                json.WriteEndObject();
                json.WriteEndObject();
                break;
        }

        if (choice.DisableParallelToolUse)
        {
            json.WriteBoolean("parallel_tool_calls", false);
        }
    }

    public static void WriteTools(Utf8JsonWriter json, IReadOnlyList<ToolDefinition> tools)
    {
        if (tools.Count == 0)
        {
            return;
        }

        json.WriteStartArray("tools");
        foreach (var tool in tools)
        {
            json.WriteStartObject();
            json.WriteString("type", "function");
            json.WriteStartObject("function");
            json.WriteString("name", tool.Name);
            if (tool.Description is { } description)
            {
                json.WriteString("description", description);
            }

            json.WritePropertyName("parameters");
            WriteParameters(json, tool.InputSchema);
            if (tool.Strict is { } strict)
            {
                json.WriteBoolean("strict", strict);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>The input schema as sent, with <c>"type":"object"</c> added when it has no type (templates need one).</summary>
    private static void WriteParameters(Utf8JsonWriter json, JsonElement schema)
    {
        if (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("type"u8, out _))
        {
            schema.WriteTo(json);
            return;
        }

        json.WriteStartObject();
        json.WriteString("type", "object");
        if (schema.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in schema.EnumerateObject())
            {
                property.WriteTo(json);
            }
        }
        else
        {
            json.WriteStartObject("properties");
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }
}
