using System.Text.Json;

namespace Switchboard.Egress.Anthropic;

internal enum MessagesEventType
{
    Unknown,
    MessageStart,
    ContentBlockStart,
    ContentBlockDelta,
    ContentBlockStop,
    MessageDelta,
    MessageStop,
    Ping,
    Error,
}

/// <summary>
/// The parts of one Messages API stream event that Switchboard reads, found in one pass over its data, which also
/// checks that the data is one well-formed JSON object (a malformed event throws <see cref="JsonException"/>).
/// Nested objects are given as ranges of the data, read only by those that need them.
/// </summary>
internal readonly record struct MessagesEvent(MessagesEventType Type, int Index, Range Message, Range ContentBlock, Range Delta, Range Usage, Range Error)
{
    public static MessagesEvent Scan(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("An event's data is not a JSON object");
        }

        var type = MessagesEventType.Unknown;
        var index = -1;
        Range message = default, block = default, delta = default, usage = default, error = default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = Name(ref reader);
            reader.Read();
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                var range = new Range(start, (int)reader.BytesConsumed);
                switch (name)
                {
                    case Field.Message: message = range; break;
                    case Field.ContentBlock: block = range; break;
                    case Field.Delta: delta = range; break;
                    case Field.Usage: usage = range; break;
                    case Field.Error: error = range; break;
                }
            }
            else if (name == Field.Type && reader.TokenType == JsonTokenType.String)
            {
                type = TypeOf(ref reader);
            }
            else if (name == Field.Index && reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var i))
            {
                index = i;
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            throw new JsonException("An event's data is not one JSON object");
        }

        return new MessagesEvent(type, index, message, block, delta, usage, error);
    }

    private enum Field
    {
        Other,
        Type,
        Index,
        Message,
        ContentBlock,
        Delta,
        Usage,
        Error,
    }

    private static Field Name(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("type"u8) ? Field.Type
        : reader.ValueTextEquals("index"u8) ? Field.Index
        : reader.ValueTextEquals("delta"u8) ? Field.Delta
        : reader.ValueTextEquals("content_block"u8) ? Field.ContentBlock
        : reader.ValueTextEquals("usage"u8) ? Field.Usage
        : reader.ValueTextEquals("message"u8) ? Field.Message
        : reader.ValueTextEquals("error"u8) ? Field.Error
        : Field.Other;

    private static MessagesEventType TypeOf(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("content_block_delta"u8) ? MessagesEventType.ContentBlockDelta
        : reader.ValueTextEquals("content_block_start"u8) ? MessagesEventType.ContentBlockStart
        : reader.ValueTextEquals("content_block_stop"u8) ? MessagesEventType.ContentBlockStop
        : reader.ValueTextEquals("message_start"u8) ? MessagesEventType.MessageStart
        : reader.ValueTextEquals("message_delta"u8) ? MessagesEventType.MessageDelta
        : reader.ValueTextEquals("message_stop"u8) ? MessagesEventType.MessageStop
        : reader.ValueTextEquals("ping"u8) ? MessagesEventType.Ping
        : reader.ValueTextEquals("error"u8) ? MessagesEventType.Error
        : MessagesEventType.Unknown;
}
