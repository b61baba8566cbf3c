using System.Text.Json;
using Switchboard.Canonical;
using Switchboard.Egress.OpenAIChat.Profiles;

namespace Switchboard.Egress.OpenAIChat;

/// <summary>
/// Maps the request's <c>thinking</c> and <c>output_config.effort</c> onto the controls the model's profile says it
/// understands: <c>reasoning_effort</c> and the chat-template thinking switch.
/// </summary>
internal static class ReasoningControls
{
    public static void Write(Utf8JsonWriter json, MessageRequest request, ModelProfile profile)
    {
        if (profile.ReasoningEffort && EffortFor(request, profile) is { } effort)
        {
            json.WriteString("reasoning_effort", effort);
        }

        WriteTemplateSwitch(json, request, profile);
    }

    /// <summary>
    /// <c>chat_template_kwargs: {"&lt;switch&gt;": true|false}</c> when the model has a thinking switch and the
    /// request says whether to think. Also sent with tokenizer probes: the switch changes the rendered prompt.
    /// The client's own <c>chat_template_kwargs</c> (passed through from the Chat Completions door) are merged in,
    /// except the switch's key, which the request's thinking setting decides.
    /// </summary>
    public static void WriteTemplateSwitch(Utf8JsonWriter json, MessageRequest request, ModelProfile profile)
    {
        if (profile.ThinkingSwitch is not { } key || request.Thinking is not { } thinking)
        {
            return;
        }

        json.WriteStartObject("chat_template_kwargs");
        if (request.PassThrough.Count > 0 && PassThroughWriter.TemplateKwargsOf(request) is { } clientKwargs)
        {
            foreach (var property in clientKwargs.EnumerateObject())
            {
                if (!property.NameEquals(key))
                {
                    property.WriteTo(json);
                }
            }
        }

        json.WriteBoolean(key, thinking.Mode != ThinkingMode.Disabled);
        json.WriteEndObject();
    }

    /// <summary>Whether <see cref="WriteTemplateSwitch"/> writes <c>chat_template_kwargs</c> for this request.</summary>
    public static bool WritesTemplateSwitch(MessageRequest request, ModelProfile profile) =>
        profile.ThinkingSwitch is not null && request.Thinking is not null;

    /// <summary>
    /// The OpenAI effort level (low, medium, high) for the request, or null to leave the upstream's default.
    /// An explicit effort wins; an enabled budget picks a level by size; disabled thinking sends none, except to a
    /// model that always thinks, which gets the least there is. Without a <c>thinking</c> setting an explicit effort
    /// still applies, as it does on Anthropic's API.
    /// </summary>
    public static string? EffortFor(MessageRequest request, ModelProfile profile)
    {
        var explicitEffort = MapEffort(request.Effort);
        return request.Thinking switch
        {
            { Mode: ThinkingMode.Disabled } => profile.Thinking == ThinkingAbility.Always ? "low" : null,
            { Mode: ThinkingMode.Enabled, BudgetTokens: { } budget } when explicitEffort is null => EffortForBudget(budget),
            _ => explicitEffort,
        };
    }

    private static string? MapEffort(string? effort) => effort switch
    {
        "low" => "low",
        "medium" => "medium",
        "high" or "xhigh" or "max" => "high",
        _ => null,
    };

    private static string EffortForBudget(int budget) => budget switch
    {
        < 4096 => "low",
        < 16384 => "medium",
        _ => "high",
    };
}
