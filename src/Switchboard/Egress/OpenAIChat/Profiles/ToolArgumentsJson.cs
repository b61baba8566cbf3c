using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Switchboard.Canonical;

namespace Switchboard.Egress.OpenAIChat.Profiles;

/// <summary>
/// Builds a tool call's JSON input from parameters a model family writes as strings (XML-style markup such as
/// <c>&lt;parameter=city&gt;Paris&lt;/parameter&gt;</c>), typing each value by the tool's <c>input_schema</c>:
/// integers and numbers, booleans, null, and arrays or objects given as JSON. A value that does not fit its declared
/// type stays a string, so nothing the model wrote is lost.
/// </summary>
public static class ToolArgumentsJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Build(string toolName, IReadOnlyList<KeyValuePair<string, string>> parameters, IReadOnlyList<ToolDefinition> tools)
    {
        var schema = FindProperties(toolName, tools);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in parameters)
            {
                writer.WritePropertyName(name);
                WriteTyped(writer, value, DeclaredType(schema, name));
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static JsonElement? FindProperties(string toolName, IReadOnlyList<ToolDefinition> tools)
    {
        foreach (var tool in tools)
        {
            if (tool.Name == toolName && tool.InputSchema.ValueKind == JsonValueKind.Object
                && tool.InputSchema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
            {
                return properties;
            }
        }

        return null;
    }

    private static string? DeclaredType(JsonElement? properties, string name)
    {
        if (properties is not { } props || !props.TryGetProperty(name, out var property) || property.ValueKind != JsonValueKind.Object
            || !property.TryGetProperty("type", out var type))
        {
            return null;
        }

        // ["integer", "null"] style unions: the first non-null type decides.
        if (type.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in type.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String && item.GetString() != "null")
                {
                    return item.GetString();
                }
            }

            return null;
        }

        return type.ValueKind == JsonValueKind.String ? type.GetString() : null;
    }

    private static void WriteTyped(Utf8JsonWriter writer, string value, string? type)
    {
        var trimmed = value.Trim();
        switch (type)
        {
            case "string":
                writer.WriteStringValue(value);
                return;
            case "integer" when long.TryParse(trimmed, NumberStyles.Integer, CultureInfo.InvariantCulture, out var integer):
                writer.WriteNumberValue(integer);
                return;
            case "number" when TryWriteJson(writer, trimmed, JsonValueKind.Number):
                return;
            case "number" when double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number):
                writer.WriteNumberValue(number);
                return;
            case "boolean" when bool.TryParse(trimmed, out var boolean):
                writer.WriteBooleanValue(boolean);
                return;
            case "null" when trimmed is "null" or "None" or "":
                writer.WriteNullValue();
                return;
            case "array" or "object" when TryWriteJson(writer, trimmed, type == "array" ? JsonValueKind.Array : JsonValueKind.Object):
                return;
            case null when TryWriteJson(writer, trimmed, null):
                return;
            default:
                writer.WriteStringValue(value);
                return;
        }
    }

    /// <summary>Writes <paramref name="text"/> as JSON when it parses (as the wanted kind, if given).</summary>
    private static bool TryWriteJson(Utf8JsonWriter writer, string text, JsonValueKind? kind)
    {
        if (text.Length == 0 || (kind is null && text[0] is not ('{' or '[')))
        {
            // Without a schema, only structured values are taken as JSON; "42" or "true" stay the strings they were.
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            if (kind is { } wanted && document.RootElement.ValueKind != wanted)
            {
                return false;
            }

            document.RootElement.WriteTo(writer);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
