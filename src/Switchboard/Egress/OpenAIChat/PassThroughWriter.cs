using System.Text.Json;
using Switchboard.Canonical;
using Switchboard.Egress.OpenAIChat.Profiles;

namespace Switchboard.Egress.OpenAIChat;

/// <summary>
/// Writes the request's pass-through fields (model servers' own parameters the client sent) after Switchboard's.
/// Switchboard's fields win: a pass-through field with the name of one Switchboard writes is left out, so a body
/// never holds a name twice and routing, budgets, profiles and streaming stay Switchboard's. Two are shared:
/// <c>chat_template_kwargs</c> is merged (see <see cref="ReasoningControls.WriteTemplateSwitch"/>), and the client's
/// <c>skip_special_tokens</c> goes on unless the profile needs special tokens kept to read tool markup.
/// </summary>
internal static class PassThroughWriter
{
    internal const string TemplateKwargs = "chat_template_kwargs";

    /// <summary>Every name <see cref="ChatRequestWriter"/> may write itself.</summary>
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "model", "messages", "max_tokens", "max_completion_tokens", "temperature", "top_p", "top_k", "stop", "seed",
        "frequency_penalty", "presence_penalty", "logit_bias", "logprobs", "top_logprobs", "user", "tools",
        "tool_choice", "parallel_tool_calls", "response_format", "reasoning_effort", "stream", "stream_options", "n",
    };

    public static void Write(Utf8JsonWriter json, MessageRequest request, ModelProfile profile, bool keptSpecialTokens)
    {
        var switchWritten = ReasoningControls.WritesTemplateSwitch(request, profile);
        foreach (var field in request.PassThrough)
        {
            if (Reserved.Contains(field.Name)
                || (keptSpecialTokens && field.Name == "skip_special_tokens")
                || (switchWritten && field.Name == TemplateKwargs))
            {
                continue;
            }

            json.WritePropertyName(field.Name);
            field.Value.WriteTo(json);
        }
    }

    /// <summary>The client's <c>chat_template_kwargs</c> object, when it sent one.</summary>
    public static JsonElement? TemplateKwargsOf(MessageRequest request)
    {
        foreach (var field in request.PassThrough)
        {
            if (field.Name == TemplateKwargs && field.Value.ValueKind == JsonValueKind.Object)
            {
                return field.Value;
            }
        }

        return null;
    }
}
