using System.Text.Json;

namespace Switchboard.Canonical;

/// <summary>
/// Sampling controls of OpenAI's APIs that the Messages API has no words for. Model servers that speak Chat
/// Completions honour them all. <see cref="LogitBias"/> references the request's parsed document.
/// </summary>
public sealed record SamplingExtras
{
    public long? Seed { get; init; }

    public double? FrequencyPenalty { get; init; }

    public double? PresencePenalty { get; init; }

    /// <summary>The <c>logit_bias</c> object as sent (token id → bias); token ids are the model's tokenizer's.</summary>
    public JsonElement? LogitBias { get; init; }

    public bool? Logprobs { get; init; }

    public int? TopLogprobs { get; init; }
}
