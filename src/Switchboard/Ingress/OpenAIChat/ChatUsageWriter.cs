using System.Text.Json;
using Switchboard.Canonical;

namespace Switchboard.Ingress.OpenAIChat;

/// <summary>
/// Writes Chat Completions' <c>usage</c> from canonical usage. OpenAI's <c>prompt_tokens</c> include cached
/// tokens, where canonical input tokens exclude them; every count is an integer, never null (the .NET SDK reads
/// them with <c>GetInt32</c>).
/// </summary>
public static class ChatUsageWriter
{
    /// <summary>Roughly four characters a token, the usual estimate for English text and code.</summary>
    private const int CharactersPerToken = 4;

    /// <summary>Writes the <c>usage</c> property.</summary>
    public static void Write(Utf8JsonWriter w, Usage usage, int reasoningTokens)
    {
        ArgumentNullException.ThrowIfNull(w);
        w.WritePropertyName("usage"u8);
        WriteValue(w, usage, reasoningTokens);
    }

    /// <summary>Writes the usage object alone, as a value.</summary>
    public static void WriteValue(Utf8JsonWriter w, Usage usage, int reasoningTokens)
    {
        ArgumentNullException.ThrowIfNull(w);
        var prompt = usage.InputTokens + usage.CacheReadInputTokens + usage.CacheCreationInputTokens;
        w.WriteStartObject();
        w.WriteNumber("prompt_tokens"u8, prompt);
        w.WriteNumber("completion_tokens"u8, usage.OutputTokens);
        w.WriteNumber("total_tokens"u8, prompt + usage.OutputTokens);
        w.WriteStartObject("prompt_tokens_details"u8);
        w.WriteNumber("cached_tokens"u8, usage.CacheReadInputTokens);
        w.WriteEndObject();
        w.WriteStartObject("completion_tokens_details"u8);
        w.WriteNumber("reasoning_tokens"u8, reasoningTokens);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>
    /// The reasoning share of the output tokens: the upstream's own figure when it reported one, else estimated from
    /// the length of the thinking text; never more than the output tokens themselves.
    /// </summary>
    public static int ReasoningTokens(long thinkingCharacters, Usage usage)
    {
        if (usage.ReasoningTokens > 0)
        {
            return Math.Min(usage.ReasoningTokens, usage.OutputTokens);
        }

        return thinkingCharacters <= 0 ? 0 : (int)Math.Min(usage.OutputTokens, (thinkingCharacters + CharactersPerToken - 1) / CharactersPerToken);
    }
}
