using Switchboard.Canonical;
using Switchboard.Egress.Anthropic;
using Switchboard.Routing;

namespace Switchboard.Pipeline;

/// <summary>
/// The context-editing stage (<c>context_management.edits</c>), after routing: the edits the client asked for are
/// applied, in order, to the copy of the request sent upstream, and what they cleared is recorded on it
/// (<see cref="MessageRequest.AppliedContextEdits"/>) for the door to report. Deterministic: the same request and
/// counts give the same edits. Token counts come from the caller's counter (the one <c>count_tokens</c> answers
/// with), and are taken only when an edit has something it could clear. An Anthropic-compatible upstream allowed
/// Anthropic's own features (<c>AllowServerTools</c>) gets the client's bytes and edits them itself.
/// </summary>
public static class ContextEditing
{
    /// <summary>What a cleared tool result says instead of its content.</summary>
    public const string ClearedResult = "[Tool result cleared by context editing to save context]";

    /// <summary>What a cleared tool call's input becomes.</summary>
    public const string ClearedInput = "{}";

    /// <summary>Whether the route's upstream applies the request's edits itself (it is sent them as the client wrote them).</summary>
    public static bool UpstreamEdits(MessageRequest request, ModelRoute route)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(route);
        var options = route.Upstream.Options;
        return options.AllowServerTools
            && string.Equals(options.Api, AnthropicUpstream.ApiName, StringComparison.OrdinalIgnoreCase)
            && request.Source?.Dialect == AnthropicUpstream.ApiName;
    }

    /// <summary>
    /// Whether the answer must be written by the door rather than relayed as the upstream wrote it: it reports edits
    /// Switchboard made, which the upstream's own answer knows nothing of.
    /// </summary>
    public static bool AnswerReportsEdits(MessageRequest request) => request?.AppliedContextEdits is { Count: > 0 };

    /// <summary>
    /// Applies the request's edits. <paramref name="count"/> counts a request's input tokens. The result's
    /// <see cref="ContextEditOutcome.OriginalTokens"/> is the count before any edit when one was taken.
    /// </summary>
    public static async ValueTask<ContextEditOutcome> ApplyAsync(
        MessageRequest request, ModelRoute route, Func<MessageRequest, ValueTask<int>> count)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(count);
        if (request.ContextManagement is not { } management || UpstreamEdits(request, route))
        {
            return new ContextEditOutcome(request, null, null);
        }

        if (management.IsNoOp)
        {
            return new ContextEditOutcome(request with { AppliedContextEdits = [] }, null, null);
        }

        var applied = new List<AppliedContextEdit>(0);
        var current = request;
        int? tokens = null;
        int? original = null;
        for (var i = 0; i < management.Edits.Count; i++)
        {
            var edit = management.Edits[i];
            MessageRequest? next;
            int cleared;
            switch (edit)
            {
                case UnsupportedContextEdit unsupported:
                    throw new ApiException(ApiErrorKind.InvalidRequest,
                        $"context_management.edits.{i}.type: `{unsupported.Name}` is not supported for model '{request.Model}': " +
                        "Switchboard clears tool uses and thinking itself, but compaction needs an upstream that does it");
                case ClearThinkingEdit { KeepTurns: { } keep }:
                    var thinned = ClearThinking(current.Messages, keep, out cleared);
                    next = cleared == 0 ? null : current with { Messages = thinned };
                    break;
                case ClearToolUsesEdit tools:
                    (next, cleared, var triggerTokens) = await ClearToolUsesAsync(current, tools, tokens, count).ConfigureAwait(false);
                    tokens ??= triggerTokens;
                    original ??= tokens;
                    break;
                default:
                    next = null;
                    cleared = 0;
                    break;
            }

            if (next is null)
            {
                continue;
            }

            var before = tokens ?? await count(current).ConfigureAwait(false);
            original ??= before;
            var after = await count(next).ConfigureAwait(false);
            if (edit is ClearToolUsesEdit { ClearAtLeast: > 0 } least && before - after < least.ClearAtLeast)
            {
                // Not enough to be worth invalidating the cached prompt: the edit is not applied at all.
                tokens = before;
                continue;
            }

            applied.Add(new AppliedContextEdit(edit.Type, cleared, Math.Max(0, before - after)));
            current = next;
            tokens = after;
        }

        // The edited conversation is no longer the client's bytes: it is written from the canonical model.
        var result = applied.Count == 0
            ? current with { AppliedContextEdits = applied }
            : current with { AppliedContextEdits = applied, Source = null };
        return new ContextEditOutcome(result, original, tokens);
    }

    /// <summary>
    /// The thinking (and redacted thinking) of all but the last <paramref name="keep"/> assistant turns that have it
    /// is left out. A turn that has nothing but thinking keeps it: an assistant turn cannot be empty.
    /// </summary>
    internal static IReadOnlyList<Message> ClearThinking(IReadOnlyList<Message> messages, int keep, out int clearedTurns)
    {
        clearedTurns = 0;
        var kept = 0;
        Message[]? edited = null;
        for (var i = messages.Count - 1; i >= 0; i--)
        {
            var message = messages[i];
            if (message.Role != Role.Assistant || !message.Content.Any(IsThinking))
            {
                continue;
            }

            if (kept < keep)
            {
                kept++;
                continue;
            }

            if (message.Content.All(IsThinking))
            {
                continue;
            }

            edited ??= [.. messages];
            edited[i] = message with { Content = [.. message.Content.Where(block => !IsThinking(block))] };
            clearedTurns++;
        }

        return edited ?? messages;
    }

    private static bool IsThinking(ContentBlock block) => block is ThinkingBlock or RedactedThinkingBlock;

    /// <summary>
    /// Tool-use clearing: null when the trigger is not passed or nothing may be cleared. Returns the count taken for
    /// an input-token trigger, so it is not taken twice.
    /// </summary>
    private static async ValueTask<(MessageRequest? Next, int Cleared, int? Tokens)> ClearToolUsesAsync(
        MessageRequest request, ClearToolUsesEdit edit, int? tokens, Func<MessageRequest, ValueTask<int>> count)
    {
        var uses = new List<ToolUseBlock>();
        foreach (var message in request.Messages)
        {
            if (message.Role == Role.Assistant)
            {
                uses.AddRange(message.Content.OfType<ToolUseBlock>());
            }
        }

        // The most recent `keep` tool uses stay whatever their tool; of the older ones, excluded tools stay too.
        var clearable = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < uses.Count - edit.Keep; i++)
        {
            if (!edit.ExcludeTools.Contains(uses[i].Name, StringComparer.Ordinal))
            {
                clearable.Add(uses[i].Id);
            }
        }

        if (clearable.Count == 0)
        {
            return (null, 0, tokens);
        }

        if (edit.Trigger == ContextTrigger.ToolUses)
        {
            if (uses.Count <= edit.TriggerValue)
            {
                return (null, 0, tokens);
            }
        }
        else
        {
            tokens ??= await count(request).ConfigureAwait(false);
            if (tokens <= edit.TriggerValue)
            {
                return (null, 0, tokens);
            }
        }

        var messages = new Message[request.Messages.Count];
        for (var i = 0; i < messages.Length; i++)
        {
            var message = request.Messages[i];
            messages[i] = message.Content.Any(block => Cleared(block, clearable))
                ? message with { Content = [.. message.Content.Select(block => Clear(block, clearable, edit))] }
                : message;
        }

        return (request with { Messages = messages }, clearable.Count, tokens);
    }

    private static bool Cleared(ContentBlock block, HashSet<string> clearable) => block switch
    {
        ToolUseBlock use => clearable.Contains(use.Id),
        ToolResultBlock result => clearable.Contains(result.ToolUseId),
        _ => false,
    };

    private static ContentBlock Clear(ContentBlock block, HashSet<string> clearable, ClearToolUsesEdit edit) => block switch
    {
        ToolUseBlock use when clearable.Contains(use.Id) && edit.ClearInputs(use.Name) => use with { InputJson = ClearedInput },
        ToolResultBlock result when clearable.Contains(result.ToolUseId) => result with { Content = [new TextBlock(ClearedResult)] },
        _ => block,
    };
}

/// <summary>
/// The request after context editing; <see cref="OriginalTokens"/> and <see cref="Tokens"/> are the input-token counts
/// before and after the edits when the stage took them (null: no count was needed).
/// </summary>
public readonly record struct ContextEditOutcome(MessageRequest Request, int? OriginalTokens, int? Tokens);
