using System.Text.Json;
using Switchboard.Canonical;

namespace Switchboard.Egress.Anthropic;

/// <summary>
/// Reads a Messages API <c>usage</c> object into canonical usage, which has the same meaning (input excludes cached
/// tokens). Fields absent or null keep their value: <c>message_delta</c> reports the output count and, on newer
/// servers, the input counts again.
/// </summary>
internal static class AnthropicUsageReader
{
    public static Usage Merge(ReadOnlySpan<byte> usageJson, Usage usage)
    {
        if (usageJson.IsEmpty)
        {
            return usage;
        }

        var reader = new Utf8JsonReader(usageJson);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = reader.ValueTextEquals("input_tokens"u8) ? 1
                : reader.ValueTextEquals("output_tokens"u8) ? 2
                : reader.ValueTextEquals("cache_read_input_tokens"u8) ? 3
                : reader.ValueTextEquals("cache_creation_input_tokens"u8) ? 4
                : 0;
            reader.Read();
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var value) || value < 0)
            {
                reader.Skip();
                continue;
            }

            var count = (int)Math.Min(int.MaxValue, value);
            usage = field switch
            {
                1 => usage with { InputTokens = count },
                2 => usage with { OutputTokens = count },
                3 => usage with { CacheReadInputTokens = count },
                4 => usage with { CacheCreationInputTokens = count },
                _ => usage,
            };
        }

        return usage;
    }

    /// <summary>The <c>usage</c> inside a <c>message</c> object (<c>message_start</c>, a whole message).</summary>
    public static Usage FromMessage(ReadOnlySpan<byte> messageJson, Usage usage)
    {
        var reader = new Utf8JsonReader(messageJson);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isUsage = reader.ValueTextEquals("usage"u8);
            reader.Read();
            if (isUsage && reader.TokenType == JsonTokenType.StartObject)
            {
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                return Merge(messageJson[start..(int)reader.BytesConsumed], usage);
            }

            reader.Skip();
        }

        return usage;
    }
}
