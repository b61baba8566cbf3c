using System.Text.Json;
using Switchboard.Canonical;

namespace Switchboard.Egress.OpenAIChat;

/// <summary>Writes <c>tools</c>, <c>tool_choice</c> and <c>parallel_tool_calls</c>.</summary>
internal static class ChatToolsWriter
{
    /// <summary>
    /// The Chat Completions form of recent clients' tool arrays (it depends on nothing but the tools): 64 sessions'
    /// worth of distinct tool sets, 16 MiB at most.
    /// </summary>
    internal static readonly ToolsFormCache Cache = new(maxEntries: 64, maxBytes: 16 * 1024 * 1024);

    private static readonly JsonWriterOptions FormOptions = ChatRequestWriter.WriterOptions with { SkipValidation = true };

    public static void Write(Utf8JsonWriter json, MessageRequest request)
    {
        if (request.Tools.Count > 0 && request.ToolsSource is { } source && source.Describes(request.Tools))
        {
            // The same array as an earlier request's: its written form is copied instead of written again.
            var form = Cache.GetOrAdd(source.Utf8, request.Tools, WriteForm);
            json.WritePropertyName("tools");
            json.WriteRawValue(form.Span, skipInputValidation: true);
        }
        else
        {
            WriteTools(json, request.Tools);
        }

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
        WriteItems(json, tools);
        json.WriteEndArray();
    }

    /// <summary>The <c>tools</c> array's value alone, as the cache keeps it.</summary>
    private static void WriteForm(System.Buffers.IBufferWriter<byte> output, IReadOnlyList<ToolDefinition> tools)
    {
        using var json = new Utf8JsonWriter(output, FormOptions);
        json.WriteStartArray();
        WriteItems(json, tools);
        json.WriteEndArray();
    }

    private static void WriteItems(Utf8JsonWriter json, IReadOnlyList<ToolDefinition> tools)
    {
        foreach (var tool in tools)
        {
            json.WriteStartObject();
            json.WriteString("type", "function");
            json.WriteStartObject("function");
            json.WriteString("name", tool.Name);
            if (tool.DescriptionJson.ValueKind == JsonValueKind.String)
            {
                json.WritePropertyName("description");
                JsonTextOut.WriteValue(json, tool.DescriptionJson);
            }
            else if (tool.Description is { } description)
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
