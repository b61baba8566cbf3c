namespace Switchboard.Canonical;

/// <summary>
/// Context editing the client asked for (the Messages API's <c>context_management.edits</c>): strategies that clear
/// old content from what the model is sent, in the order given. The client keeps its full history; only the copy
/// sent upstream is edited, and the answer reports what was cleared (<see cref="AppliedContextEdit"/>).
/// </summary>
public sealed record ContextManagement(IReadOnlyList<ContextEdit> Edits)
{
    /// <summary>No edit can change anything (none given, or only thinking kept in full, as Claude Code sends).</summary>
    public bool IsNoOp => Edits.All(edit => edit is ClearThinkingEdit { KeepTurns: null });
}

/// <summary>One context-editing strategy.</summary>
public abstract record ContextEdit
{
    /// <summary>The strategy's wire name, which the report of an applied edit repeats.</summary>
    public abstract string Type { get; }
}

/// <summary>What starts tool-use clearing: the prompt's input tokens or its number of tool uses passing a value.</summary>
public enum ContextTrigger
{
    InputTokens,
    ToolUses,
}

/// <summary>
/// <c>clear_tool_uses_20250919</c>: once the trigger is passed, the oldest tool results (and, with
/// <see cref="ClearInputs"/>, their calls' inputs) are replaced, keeping the most recent <see cref="Keep"/> tool uses
/// and every use of an excluded tool; when that clears fewer than <see cref="ClearAtLeast"/> tokens nothing is cleared.
/// </summary>
public sealed record ClearToolUsesEdit : ContextEdit
{
    public const string Name = "clear_tool_uses_20250919";

    /// <summary>Anthropic's defaults: 100,000 input tokens, 3 tool uses kept.</summary>
    public const int DefaultTriggerTokens = 100_000;

    public const int DefaultKeep = 3;

    public override string Type => Name;

    public ContextTrigger Trigger { get; init; } = ContextTrigger.InputTokens;

    public int TriggerValue { get; init; } = DefaultTriggerTokens;

    public int Keep { get; init; } = DefaultKeep;

    /// <summary>Input tokens the edit must clear to be applied at all; 0: any amount.</summary>
    public int ClearAtLeast { get; init; }

    /// <summary>Tools whose uses and results are never cleared.</summary>
    public IReadOnlyList<string> ExcludeTools { get; init; } = [];

    /// <summary>Clear the inputs of every cleared tool call too (<c>clear_tool_inputs: true</c>).</summary>
    public bool ClearAllInputs { get; init; }

    /// <summary>Clear the inputs of cleared calls to these tools only (<c>clear_tool_inputs</c> as a list).</summary>
    public IReadOnlyList<string> ClearInputsOf { get; init; } = [];

    /// <summary>Whether a cleared call to <paramref name="tool"/> loses its input as well as its result.</summary>
    public bool ClearInputs(string tool) => ClearAllInputs || ClearInputsOf.Contains(tool, StringComparer.Ordinal);
}

/// <summary>
/// <c>clear_thinking_20251015</c>: thinking is removed from all but the last <see cref="KeepTurns"/> assistant turns
/// that have it. Null keeps all (<c>keep: "all"</c>), which changes nothing.
/// </summary>
public sealed record ClearThinkingEdit(int? KeepTurns) : ContextEdit
{
    public const string Name = "clear_thinking_20251015";

    /// <summary>Anthropic's default: the last assistant turn with thinking keeps it.</summary>
    public const int DefaultKeep = 1;

    public override string Type => Name;
}

/// <summary>
/// One edit that changed the request (an edit that cleared nothing is not reported): <see cref="Cleared"/> counts
/// tool uses for <c>clear_tool_uses</c> and assistant turns for <c>clear_thinking</c>; <see cref="ClearedInputTokens"/>
/// is the request's input-token count before the edit minus after it.
/// </summary>
public sealed record AppliedContextEdit(string Type, int Cleared, int ClearedInputTokens);

/// <summary>
/// A strategy Switchboard cannot apply itself (<c>compact_20260112</c>, which needs the model to write a summary): an
/// upstream that edits context itself gets it as sent; any other route refuses the request naming it.
/// </summary>
public sealed record UnsupportedContextEdit(string Name) : ContextEdit
{
    public override string Type => Name;
}
