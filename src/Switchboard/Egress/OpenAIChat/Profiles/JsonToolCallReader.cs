using System.Text;
using System.Text.Json;

namespace Switchboard.Egress.OpenAIChat.Profiles;

/// <summary>
/// Reads tool calls written as JSON objects, <c>{"name": "…", "arguments": {…}}</c> (Hermes, Qwen2.5, Qwen3),
/// one or several in a row. <c>parameters</c> is accepted for <c>arguments</c>, and arguments given as a string of
/// JSON are unwrapped.
/// </summary>
public static class JsonToolCallReader
{
    private static readonly JsonReaderOptions Options = new() { AllowMultipleValues = true };

    public static bool TryRead(ReadOnlySpan<char> text, List<ParsedToolCall> calls)
    {
        var trimmed = text.Trim();
        if (trimmed.IsEmpty)
        {
            return false;
        }

        var bytes = new byte[Encoding.UTF8.GetByteCount(trimmed)];
        Encoding.UTF8.GetBytes(trimmed, bytes);

        try
        {
            var reader = new Utf8JsonReader(bytes, Options);
            while (reader.Read())
            {
                using var document = JsonDocument.ParseValue(ref reader);
                if (!TryReadCall(document.RootElement, out var call))
                {
                    return false;
                }

                calls.Add(call);
            }
        }
        catch (JsonException)
        {
            return false;
        }

        return calls.Count > 0;
    }

    /// <summary>Reads one <c>{"name", "arguments"}</c> object.</summary>
    public static bool TryReadCall(JsonElement element, out ParsedToolCall call)
    {
        call = default;
        if (element.ValueKind != JsonValueKind.Object
            || !element.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String
            || name.GetString() is not { Length: > 0 } toolName)
        {
            return false;
        }

        if (!element.TryGetProperty("arguments", out var arguments) && !element.TryGetProperty("parameters", out arguments))
        {
            call = new ParsedToolCall(toolName, "{}");
            return true;
        }

        if (ToolArgumentsObject.TryRead(arguments, out var json))
        {
            call = new ParsedToolCall(toolName, json);
            return true;
        }

        return false;
    }
}
