using System.Text.Json;

namespace Switchboard.FakeUpstream;

/// <summary>Token counts of one answer, written in OpenAI's <c>usage</c> shape.</summary>
internal readonly record struct UsageNumbers(int PromptTokens, int CompletionTokens, int? CachedTokens, int? ReasoningTokens = null)
{
    public void Write(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteNumber("prompt_tokens"u8, PromptTokens);
        json.WriteNumber("total_tokens"u8, PromptTokens + CompletionTokens);
        json.WriteNumber("completion_tokens"u8, CompletionTokens);
        if (CachedTokens is { } cached)
        {
            json.WriteStartObject("prompt_tokens_details"u8);
            json.WriteNumber("cached_tokens"u8, cached);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("prompt_tokens_details"u8);
        }

        if (ReasoningTokens is { } reasoning)
        {
            json.WriteStartObject("completion_tokens_details"u8);
            json.WriteNumber("reasoning_tokens"u8, reasoning);
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }
}
