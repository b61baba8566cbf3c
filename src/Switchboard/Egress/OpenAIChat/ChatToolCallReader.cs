using System.Text.Json;
using Switchboard.Canonical;

namespace Switchboard.Egress.OpenAIChat;

/// <summary>
/// Applies a message's or delta's <c>tool_calls</c> array to the assembler, deciding which call each entry belongs
/// to. One instance per message.
/// </summary>
internal sealed class ChatToolCallReader(StreamAssembler assembler, bool streaming)
{
    private int _lastCall = -1;
    private int _nextCall;
    private string? _lastCallId;

    /// <summary>Applies a complete, already validated JSON array of tool-call entries.</summary>
    public void Apply(ReadOnlySpan<byte> array, JsonStringDecoder decoder)
    {
        var reader = new Utf8JsonReader(array);
        reader.Read();
        var position = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                ApplyEntry(array, ref reader, position++, decoder);
            }
            else
            {
                reader.Skip();
            }
        }
    }

    private void ApplyEntry(ReadOnlySpan<byte> array, ref Utf8JsonReader reader, int position, JsonStringDecoder decoder)
    {
        int? index = null;
        string? id = null;
        string? name = null;
        Range? arguments = null;
        var argumentsIsString = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("index"u8))
            {
                reader.Read();
                index = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var i) && i >= 0 ? i : null;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                id = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("function"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("name"u8))
                    {
                        reader.Read();
                        name = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                        reader.Skip();
                    }
                    else if (reader.ValueTextEquals("arguments"u8))
                    {
                        reader.Read();
                        var start = (int)reader.TokenStartIndex;
                        argumentsIsString = reader.TokenType == JsonTokenType.String;
                        var isValue = argumentsIsString || reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray;
                        reader.Skip();
                        arguments = isValue ? start..(int)reader.BytesConsumed : null;
                    }
                    else
                    {
                        reader.Read();
                        reader.Skip();
                    }
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        // Arguments arrive as a string of JSON text; some servers send the object itself, whose raw text is the input.
        var fragment = arguments is not { } range ? default
            : argumentsIsString ? decoder.DecodeString(array[range])
            : decoder.DecodeUtf8(array[range]);
        assembler.AppendToolCall(streaming ? StreamCallIndex(index, id) : position, id, name, fragment);
    }

    /// <summary>
    /// Streamed entries name their call by <c>index</c>. An entry without one starts a new call when it carries an id
    /// the last call did not have, and otherwise continues the last call.
    /// </summary>
    private int StreamCallIndex(int? index, string? id)
    {
        if (index is { } given)
        {
            if (given != _lastCall)
            {
                _lastCallId = null;
            }

            _lastCall = given;
        }
        else if (_lastCall < 0 || (id is not null && id != _lastCallId))
        {
            _lastCall = _nextCall;
        }

        _nextCall = Math.Max(_nextCall, _lastCall + 1);
        _lastCallId = id ?? _lastCallId;
        return _lastCall;
    }
}
