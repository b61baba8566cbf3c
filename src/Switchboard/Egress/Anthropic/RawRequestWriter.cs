using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Switchboard.Egress.Anthropic;

/// <summary>
/// Writes the client's own Messages body for the upstream: its bytes as sent, with only the top-level
/// <c>model</c> value replaced by the upstream's model name and, when the budget was fitted to the model,
/// the <c>max_tokens</c> value. Nothing else is parsed into objects or re-encoded, so the upstream sees exactly what
/// the client wrote (block order, unknown fields, signatures, whitespace).
/// </summary>
internal static class RawRequestWriter
{
    /// <param name="maxTokens">The budget to write in place of the client's; null: leave it as sent.</param>
    public static void Write(IBufferWriter<byte> output, JsonElement body, string model, int? maxTokens)
    {
        var raw = JsonMarshal.GetRawUtf8Value(body);
        var reader = new Utf8JsonReader(raw, new JsonReaderOptions { MaxDepth = 256 });
        reader.Read();
        var copied = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isModel = reader.ValueTextEquals("model"u8);
            var isBudget = maxTokens is not null && reader.ValueTextEquals("max_tokens"u8);
            reader.Read();
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            var end = (int)reader.BytesConsumed;
            if (!isModel && !isBudget)
            {
                continue;
            }

            output.Write(raw[copied..start]);
            if (isModel)
            {
                WriteString(output, model);
            }
            else
            {
                output.Write(System.Text.Encoding.UTF8.GetBytes(maxTokens!.Value.ToString(CultureInfo.InvariantCulture)));
            }

            copied = end;
        }

        output.Write(raw[copied..]);
    }

    /// <summary>The client's <c>max_tokens</c> as sent, or null when absent or not an integer.</summary>
    public static int? SentMaxTokens(JsonElement body) =>
        body.TryGetProperty("max_tokens", out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var budget)
            ? budget
            : null;

    private static void WriteString(IBufferWriter<byte> output, string value)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = OpenAIChat.ChatRequestWriter.WriterOptions.Encoder, SkipValidation = true });
        json.WriteStringValue(value);
    }
}
