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
        int? reasoning = null;
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
                cached = ReadDetail(ref reader, "cached_tokens"u8) ?? cached;
            }
            else if (reader.ValueTextEquals("completion_tokens_details"u8))
            {
                reasoning = ReadDetail(ref reader, "reasoning_tokens"u8) ?? reasoning;
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
        var completionTokens = completion ?? 0;
        return new Usage(promptTokens - cachedTokens, completionTokens, cachedTokens, 0, Math.Clamp(reasoning ?? 0, 0, completionTokens));
    }

    /// <summary>Reads one count out of a details object (<c>prompt_tokens_details</c>, <c>completion_tokens_details</c>).</summary>
    private static int? ReadDetail(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        int? count = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(name))
            {
                count = ReadCount(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return count;
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
