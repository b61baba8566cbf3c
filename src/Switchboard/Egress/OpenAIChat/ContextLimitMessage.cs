using System.Globalization;
using System.Text.RegularExpressions;
using Switchboard.Egress;

namespace Switchboard.Egress.OpenAIChat;

/// <summary>
/// Recognises a model server's "does not fit the context window" error and pulls out the numbers it gives, so the
/// client can be told in Anthropic's words (or the request retried with a smaller output budget).
/// </summary>
internal static partial class ContextLimitMessage
{
    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;
    private const string Number = @"[\d,]+";

    /// <summary>Known wordings, most specific first; each names what it knows as ctx, prompt and output.</summary>
    private static readonly Regex[] Wordings =
    [
        VllmRequestedTotal(),
        VllmRequestedOutput(),
        VllmMaxTokensTooLarge(),
        VllmInputTooLong(),
        SglangRequestedTotal(),
        SglangInputTooLong(),
        TgiInputValidation(),
    ];

    /// <summary>What the client may see of the upstream's wording: sanitised, or a plain statement.</summary>
    private const string Fallback = "the request does not fit the model's context window";

    public static ContextWindowExceededException? TryRead(ChatErrorBody error)
    {
        var message = UpstreamText.ForClient(error.Message) ?? Fallback;
        var isLlamaCpp = error.Type == "exceed_context_size_error";
        foreach (var wording in Wordings)
        {
            if (wording.Match(error.Message) is { Success: true } match)
            {
                return new ContextWindowExceededException(
                    message, Group(match, "prompt") ?? error.PromptTokens, Group(match, "ctx") ?? error.ContextLength, Group(match, "output"));
            }
        }

        if (isLlamaCpp || error.Code == "context_length_exceeded" || Generic().IsMatch(error.Message))
        {
            return new ContextWindowExceededException(message, error.PromptTokens, error.ContextLength, null);
        }

        return null;
    }

    private static int? Group(Match match, string name) =>
        match.Groups[name] is { Success: true } group
        && int.TryParse(group.ValueSpan.ToString().Replace(",", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;

    // "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens (3000 in the messages, 2000 in the completion)."
    [GeneratedRegex($@"maximum context length is (?<ctx>{Number}) tokens\. However, you requested {Number} tokens \((?<prompt>{Number}) in the messages, (?<output>{Number}) in the completion\)", Options)]
    private static partial Regex VllmRequestedTotal();

    // "… However, you requested 2000 output tokens and your prompt contains at least 3001 input tokens, …"
    [GeneratedRegex($@"maximum context length is (?<ctx>{Number}) tokens\. However, you requested (?<output>{Number}) output tokens and your prompt contains at least (?<prompt>{Number}) input tokens", Options)]
    private static partial Regex VllmRequestedOutput();

    // "'max_tokens' or 'max_completion_tokens' is too large: 32000. This model's maximum context length is 40960 tokens and your request has 25000 input tokens …"
    [GeneratedRegex($@"is too large: (?<output>{Number})\. This model's maximum context length is (?<ctx>{Number}) tokens and your request has (?<prompt>{Number}) input tokens", Options)]
    private static partial Regex VllmMaxTokensTooLarge();

    // "… maximum context length is 40960 tokens. However, your request has 50000 input tokens." (OpenAI: "your messages resulted in N tokens")
    [GeneratedRegex($@"maximum context length is (?<ctx>{Number}) tokens\. However, your (?:request has|messages resulted in) (?<prompt>{Number}) (?:input )?tokens", Options)]
    private static partial Regex VllmInputTooLong();

    // "Requested token count exceeds the model's maximum context length of 4096 tokens. You requested a total of 5000 tokens: 3000 tokens from the input messages and 2000 tokens for the completion."
    [GeneratedRegex($@"maximum context length of (?<ctx>{Number}) tokens\. You requested a total of {Number} tokens: (?<prompt>{Number}) tokens from the input messages and (?<output>{Number}) tokens for the completion", Options)]
    private static partial Regex SglangRequestedTotal();

    // "The input (5000 tokens) is longer than the model's context length (4096 tokens)."
    [GeneratedRegex($@"input \((?<prompt>{Number}) tokens\) is longer than the model's context length \((?<ctx>{Number}) tokens\)", Options)]
    private static partial Regex SglangInputTooLong();

    // "Input validation error: `inputs` tokens + `max_new_tokens` must be <= 4096. Given: 3000 `inputs` tokens and 2000 `max_new_tokens`"
    [GeneratedRegex($@"must be <= (?<ctx>{Number})\. Given: (?<prompt>{Number}) `inputs` tokens and (?<output>{Number}) `max_new_tokens`", Options)]
    private static partial Regex TgiInputValidation();

    [GeneratedRegex(@"context (?:length|window|size)|maximum context|exceed_context_size|context_length_exceeded|prompt is too long", Options)]
    private static partial Regex Generic();
}
