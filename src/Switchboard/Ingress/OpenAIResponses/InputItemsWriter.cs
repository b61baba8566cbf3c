using System.Buffers;
using System.Text;
using System.Text.Json;
using Switchboard.Canonical;

namespace Switchboard.Ingress.OpenAIResponses;

/// <summary>
/// The input items a stored response keeps: those carried over from its <c>previous_response_id</c> (that
/// response's inputs and outputs), then the request's own <c>input</c> (a string becomes a user message item).
/// Items are kept as sent, in the shapes the request reader reads back; one without an <c>id</c> gets one, so the
/// input item list can page by id.
/// </summary>
internal static class InputItemsWriter
{
    public static string Write(IReadOnlyList<JsonElement> previous, JsonElement body)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer, ClientJson.Writer))
        {
            w.WriteStartArray();
            foreach (var item in previous)
            {
                item.WriteTo(w);
            }

            if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("input", out var input))
            {
                if (input.ValueKind == JsonValueKind.String)
                {
                    w.WriteStartObject();
                    w.WriteString("type"u8, "message"u8);
                    w.WriteString("id"u8, Ids.New("msg_"));
                    w.WriteString("role"u8, "user"u8);
                    w.WriteStartArray("content"u8);
                    w.WriteStartObject();
                    w.WriteString("type"u8, "input_text"u8);
                    w.WriteString("text"u8, input.GetString());
                    w.WriteEndObject();
                    w.WriteEndArray();
                    w.WriteEndObject();
                }
                else if (input.ValueKind == JsonValueKind.Array)
                {
                    foreach (var item in input.EnumerateArray())
                    {
                        WriteItem(w, item);
                    }
                }
            }

            w.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteItem(Utf8JsonWriter w, JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object || item.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
        {
            item.WriteTo(w);
            return;
        }

        w.WriteStartObject();
        w.WriteString("id"u8, Ids.New(Prefix(item)));
        foreach (var property in item.EnumerateObject())
        {
            if (property.NameEquals("id"u8))
            {
                continue;
            }

            property.WriteTo(w);
        }

        w.WriteEndObject();
    }

    private static string Prefix(JsonElement item)
    {
        if (!item.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.ValueEquals("message"u8))
        {
            return "msg_";
        }

        return type.GetString() switch
        {
            "function_call" => "fc_",
            "function_call_output" => "fco_",
            "custom_tool_call" => "ctc_",
            "custom_tool_call_output" => "ctco_",
            "reasoning" => "rs_",
            _ => "item_",
        };
    }
}
