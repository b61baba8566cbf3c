using System.Text.Json;
using Switchboard.Canonical;

namespace Switchboard.Egress.OpenAIChat;

/// <summary>
/// Where the pieces of one Chat Completions JSON object are: byte ranges of the string tokens and the
/// <c>tool_calls</c> array (decoded only when applied), and the small values read outright.
/// </summary>
internal struct ChatChunkParts
{
    public bool IsError;

    /// <summary>The object has a <c>choices</c> array or a <c>usage</c> object: it is a chat completion (chunk).</summary>
    public bool IsChat;
    public Range? ReasoningContent;
    public Range? Reasoning;
    public Range? Content;
    public Range? ToolCalls;

    /// <summary>The first choice's <c>logprobs.content</c> array, when it is one.</summary>
    public Range? Logprobs;
    public FinishReason Finish;
    public string? StopReason;
    public string? MatchedStop;

    /// <summary>The choice carries <c>stop_reason</c> or <c>matched_stop</c> (any value): the server says which stop matched.</summary>
    public bool HasStopReport;
    public Usage? Usage;

    /// <summary>
    /// Scans a whole object, validating it. False when it is not a JSON object; throws <see cref="JsonException"/> when
    /// it is malformed.
    /// </summary>
    public static bool TryScan(ReadOnlySpan<byte> json, out ChatChunkParts parts)
    {
        parts = default;
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("choices"u8))
            {
                reader.Read();
                parts.IsChat |= reader.TokenType == JsonTokenType.StartArray;
                ScanChoices(ref reader, ref parts);
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    parts.IsChat = true;
                    parts.Usage = ChatUsageReader.Read(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                parts.IsError |= reader.TokenType != JsonTokenType.Null;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("object"u8))
            {
                // vLLM's older error shape: {"object":"error","message":…}
                reader.Read();
                parts.IsError |= reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("error"u8);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return true;
    }

    private static void ScanChoices(ref Utf8JsonReader reader, ref ChatChunkParts parts)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }

        var first = true;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (first && reader.TokenType == JsonTokenType.StartObject)
            {
                ScanChoice(ref reader, ref parts);
                first = false;
            }
            else
            {
                reader.Skip();
            }
        }
    }

    private static void ScanChoice(ref Utf8JsonReader reader, ref ChatChunkParts parts)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("delta"u8) || reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    ScanMessage(ref reader, ref parts);
                }
                else
                {
                    reader.Skip();
                }

                continue;
            }

            if (reader.ValueTextEquals("logprobs"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    ScanLogprobs(ref reader, ref parts);
                }
                else
                {
                    reader.Skip();
                }

                continue;
            }

            var name = reader.ValueTextEquals("finish_reason"u8) ? 1
                : reader.ValueTextEquals("stop_reason"u8) ? 2
                : reader.ValueTextEquals("matched_stop"u8) ? 3
                : 0;
            parts.HasStopReport |= name is 2 or 3;
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                reader.Skip();
                continue;
            }

            switch (name)
            {
                case 1:
                    parts.Finish = FinishReasons.Read(ref reader);
                    break;
                case 2:
                    parts.StopReason = reader.GetString();
                    break;
                case 3:
                    parts.MatchedStop = reader.GetString();
                    break;
            }
        }
    }

    /// <summary>Finds <c>content</c> in a choice's <c>logprobs</c> object; the entries are parsed only when applied.</summary>
    private static void ScanLogprobs(ref Utf8JsonReader reader, ref ChatChunkParts parts)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isContent = reader.ValueTextEquals("content"u8);
            reader.Read();
            var start = (int)reader.TokenStartIndex;
            var isArray = reader.TokenType == JsonTokenType.StartArray;
            reader.Skip();
            if (isContent && isArray)
            {
                parts.Logprobs = start..(int)reader.BytesConsumed;
            }
        }
    }

    private static void ScanMessage(ref Utf8JsonReader reader, ref ChatChunkParts parts)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("tool_calls"u8))
            {
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                var isArray = reader.TokenType == JsonTokenType.StartArray;
                reader.Skip();
                if (isArray)
                {
                    parts.ToolCalls = start..(int)reader.BytesConsumed;
                }

                continue;
            }

            var field = reader.ValueTextEquals("content"u8) ? 1
                : reader.ValueTextEquals("reasoning_content"u8) ? 2
                : reader.ValueTextEquals("reasoning"u8) ? 3
                : 0;
            reader.Read();
            if (field == 0 || reader.TokenType != JsonTokenType.String)
            {
                reader.Skip();
                continue;
            }

            // The whole string token, quotes included, so it can be decoded (and unescaped) later.
            var token = (int)reader.TokenStartIndex;
            Range range = token..(token + reader.ValueSpan.Length + 2);
            switch (field)
            {
                case 1:
                    parts.Content = range;
                    break;
                case 2:
                    parts.ReasoningContent = range;
                    break;
                default:
                    parts.Reasoning = range;
                    break;
            }
        }
    }
}
