using System.Text.Json;

namespace Switchboard.Egress.OpenAIChat;

/// <summary>Reads the few fields Switchboard needs from model servers' tokenizer replies, without building a DOM.</summary>
internal static class TokenizerReplies
{
    /// <summary>vLLM and SGLang: <c>{"count": N, "tokens": [...]}</c>.</summary>
    public static int? ReadCount(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            if (!FindTopLevel(ref reader, "count"u8) || reader.TokenType != JsonTokenType.Number)
            {
                return null;
            }

            return reader.TryGetInt32(out var count) && count >= 0 ? count : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>llama.cpp: the length of <c>{"tokens": [...]}</c>.</summary>
    public static int? CountTokens(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            if (!FindTopLevel(ref reader, "tokens"u8) || reader.TokenType != JsonTokenType.StartArray)
            {
                return null;
            }

            var count = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                reader.Skip();
                count++;
            }

            return count;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// llama.cpp <c>/apply-template</c>: the <c>prompt</c> string exactly as it appears in the reply, quotes and
    /// escapes included, so it can be copied into the next request without decoding.
    /// </summary>
    public static bool TryFindPrompt(ReadOnlySpan<byte> json, out Range quoted)
    {
        quoted = default;
        var reader = new Utf8JsonReader(json);
        try
        {
            if (!FindTopLevel(ref reader, "prompt"u8) || reader.TokenType != JsonTokenType.String)
            {
                return false;
            }

            var start = (int)reader.TokenStartIndex;
            quoted = start..(start + reader.ValueSpan.Length + 2);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Moves <paramref name="reader"/> to the value of a top-level property.</summary>
    private static bool FindTopLevel(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var match = reader.ValueTextEquals(name);
            if (!reader.Read())
            {
                return false;
            }

            if (match)
            {
                return true;
            }

            reader.Skip();
        }

        return false;
    }
}
