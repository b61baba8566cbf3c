using System.Text.Json;
using Switchboard.Canonical;

namespace Switchboard.Egress.OpenAIChat;

/// <summary>Reads a Chat Completions <c>usage</c> object into Anthropic's meaning of usage.</summary>
internal static class ChatUsageReader
{
    /// <summary>
    /// Reads the object the reader is positioned on (it ends on the object's end). Returns null when it carries
    /// no token counts. Input tokens exclude cached ones, as the Messages API counts them.
    /// </summary>
    public static Usage? Read(ref Utf8JsonReader reader)
    {
        int? prompt = null;
        int? completion = null;
        int? cached = null;
        int? cacheHit = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("prompt_tokens"u8))
            {
                prompt = ReadCount(ref reader);
            }
            else if (reader.ValueTextEquals("completion_tokens"u8))
            {
                completion = ReadCount(ref reader);
            }
            else if (reader.ValueTextEquals("prompt_tokens_details"u8))
            {
                cached = ReadCachedTokens(ref reader) ?? cached;
            }
            else if (reader.ValueTextEquals("prompt_cache_hit_tokens"u8))
            {
                // DeepSeek's name for the same count.
                cacheHit = ReadCount(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (prompt is null && completion is null)
        {
            return null;
        }

        var promptTokens = prompt ?? 0;
        var cachedTokens = Math.Clamp(cached ?? cacheHit ?? 0, 0, promptTokens);
        return new Usage(promptTokens - cachedTokens, completion ?? 0, cachedTokens, 0);
    }

    private static int? ReadCachedTokens(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        int? cached = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("cached_tokens"u8))
            {
                cached = ReadCount(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return cached;
    }

    /// <summary>Moves to the value and reads it as a non-negative count; null for anything else.</summary>
    private static int? ReadCount(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.Number)
        {
            reader.Skip();
            return null;
        }

        if (reader.TryGetInt32(out var count))
        {
            return Math.Max(0, count);
        }

        return reader.TryGetDouble(out var value) ? (int)Math.Clamp(value, 0, int.MaxValue) : null;
    }
}
