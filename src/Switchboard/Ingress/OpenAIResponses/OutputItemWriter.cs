using System.Buffers;
using System.Text.Json;

namespace Switchboard.Ingress.OpenAIResponses;

/// <summary>
/// Writes the Responses API's output items: <c>reasoning</c>, <c>message</c> (one <c>output_text</c> part with
/// <c>annotations: []</c>), <c>function_call</c> (with <c>namespace</c> and the bare name for a namespace member, as
/// Codex dispatches them) and <c>custom_tool_call</c> (a freeform tool's raw text in <c>input</c>). The same shapes
/// serve the <c>added</c> snapshot (in progress, empty) and the final item.
/// </summary>
internal static class OutputItemWriter
{
    public static void WriteReasoning(Utf8JsonWriter w, string id, string? text, bool asSummary, string? encrypted, bool completed)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "reasoning"u8);
        w.WriteString("id"u8, id);
        w.WriteStartArray("summary"u8);
        if (asSummary && text is not null)
        {
            WritePart(w, "summary_text"u8, text);
        }

        w.WriteEndArray();
        if (!asSummary)
        {
            w.WriteStartArray("content"u8);
            if (text is not null)
            {
                WritePart(w, "reasoning_text"u8, text);
            }

            w.WriteEndArray();
        }

        if (encrypted is null)
        {
            w.WriteNull("encrypted_content"u8);
        }
        else
        {
            w.WriteString("encrypted_content"u8, encrypted);
        }

        WriteStatus(w, completed);
        w.WriteEndObject();
    }

    public static void WriteMessage(Utf8JsonWriter w, string id, string? text, bool completed)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "message"u8);
        w.WriteString("id"u8, id);
        WriteStatus(w, completed);
        w.WriteString("role"u8, "assistant"u8);
        w.WriteStartArray("content"u8);
        if (text is not null)
        {
            WriteOutputText(w, text);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>A <c>output_text</c> content part.</summary>
    public static void WriteOutputText(Utf8JsonWriter w, string text)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "output_text"u8);
        w.WriteString("text"u8, text);
        w.WriteStartArray("annotations"u8);
        w.WriteEndArray();
        w.WriteStartArray("logprobs"u8);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>A call item; <paramref name="payload"/> is the arguments (JSON text) or a freeform tool's input.</summary>
    public static void WriteCall(Utf8JsonWriter w, string id, string callId, ClientTool tool, string payload, bool completed)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, tool.Freeform ? "custom_tool_call"u8 : "function_call"u8);
        w.WriteString("id"u8, id);
        w.WriteString("call_id"u8, callId);
        w.WriteString("name"u8, tool.Name);
        if (tool.Namespace is not null)
        {
            w.WriteString("namespace"u8, tool.Namespace);
        }

        w.WriteString(tool.Freeform ? "input"u8 : "arguments"u8, payload);
        WriteStatus(w, completed);
        w.WriteEndObject();
    }

    public static void WritePart(Utf8JsonWriter w, ReadOnlySpan<byte> type, string text)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, type);
        w.WriteString("text"u8, text);
        w.WriteEndObject();
    }

    private static void WriteStatus(Utf8JsonWriter w, bool completed) =>
        w.WriteString("status"u8, completed ? "completed"u8 : "in_progress"u8);

    /// <summary>
    /// A freeform tool's raw text from the canonical input the model produced (<c>{"input": text}</c>). A model that
    /// named the one string property differently is forgiven; anything else goes out as the JSON text it wrote.
    /// </summary>
    public static string UnwrapFreeform(string inputJson)
    {
        try
        {
            using var document = JsonDocument.Parse(inputJson);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                if (root.TryGetProperty("input", out var input) && input.ValueKind == JsonValueKind.String)
                {
                    return input.GetString()!;
                }

                string? only = null;
                var count = 0;
                foreach (var property in root.EnumerateObject())
                {
                    count++;
                    only = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
                }

                if (count == 1 && only is not null)
                {
                    return only;
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: the text is the input.
        }

        return inputJson;
    }

    /// <summary>Writes one item into a fresh buffer: the stream sends it and keeps it for the final response.</summary>
    public static byte[] Capture(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, ClientJson.Writer))
        {
            write(w);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
