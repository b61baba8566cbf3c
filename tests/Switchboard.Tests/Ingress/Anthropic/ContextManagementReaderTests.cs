using Switchboard.Canonical;
using static Switchboard.Tests.Ingress.Anthropic.RequestBodies;

namespace Switchboard.Tests.Ingress.Anthropic;

/// <summary><c>context_management.edits</c> as the Messages door reads it: defaults, every field, and its 400s.</summary>
public sealed class ContextManagementReaderTests
{
    private const string Thinking = "'thinking':{'type':'adaptive'}";

    private static ContextManagement? Management(string fields) =>
        ReadRaw(With(extra: $"{Thinking},'context_management':{fields}")).ContextManagement;

    [Fact]
    public void A_request_without_context_management_has_none()
    {
        Assert.Null(ReadRaw(With()).ContextManagement);
    }

    [Fact]
    public void Clear_tool_uses_without_options_takes_anthropics_defaults()
    {
        var edit = Assert.IsType<ClearToolUsesEdit>(Assert.Single(Management("{'edits':[{'type':'clear_tool_uses_20250919'}]}")!.Edits));

        Assert.Equal(ContextTrigger.InputTokens, edit.Trigger);
        Assert.Equal(100_000, edit.TriggerValue);
        Assert.Equal(3, edit.Keep);
        Assert.Equal(0, edit.ClearAtLeast);
        Assert.Empty(edit.ExcludeTools);
        Assert.False(edit.ClearInputs("Bash"));
    }

    [Fact]
    public void Clear_tool_uses_reads_every_field()
    {
        var edit = Assert.IsType<ClearToolUsesEdit>(Assert.Single(Management(
            "{'edits':[{'type':'clear_tool_uses_20250919','trigger':{'type':'tool_uses','value':6},'keep':{'type':'tool_uses','value':2},"
            + "'clear_at_least':{'type':'input_tokens','value':5000},'exclude_tools':['Memory'],'clear_tool_inputs':['Write']}]}")!.Edits));

        Assert.Equal(ContextTrigger.ToolUses, edit.Trigger);
        Assert.Equal(6, edit.TriggerValue);
        Assert.Equal(2, edit.Keep);
        Assert.Equal(5000, edit.ClearAtLeast);
        Assert.Equal(["Memory"], edit.ExcludeTools);
        Assert.True(edit.ClearInputs("Write"));
        Assert.False(edit.ClearInputs("Read"));
    }

    [Fact]
    public void Clear_tool_inputs_true_clears_every_tools_inputs()
    {
        var edit = Assert.IsType<ClearToolUsesEdit>(Assert.Single(Management(
            "{'edits':[{'type':'clear_tool_uses_20250919','clear_tool_inputs':true}]}")!.Edits));

        Assert.True(edit.ClearInputs("anything"));
    }

    [Theory]
    [InlineData("{'type':'clear_thinking_20251015'}", 1)]
    [InlineData("{'type':'clear_thinking_20251015','keep':{'type':'thinking_turns','value':3}}", 3)]
    [InlineData("{'type':'clear_thinking_20251015','keep':'all'}", null)]
    [InlineData("{'type':'clear_thinking_20251015','keep':{'type':'all'}}", null)]
    public void Clear_thinking_keeps_one_turn_by_default_a_number_of_turns_or_all(string edit, int? keep)
    {
        var read = Assert.IsType<ClearThinkingEdit>(Assert.Single(Management($"{{'edits':[{edit}]}}")!.Edits));

        Assert.Equal(keep, read.KeepTurns);
    }

    [Fact]
    public void Claude_codes_keep_all_is_accepted_without_thinking_and_is_a_no_op()
    {
        var management = ReadRaw(With(extra: "'context_management':{'edits':[{'type':'clear_thinking_20251015','keep':'all'}]}")).ContextManagement;

        Assert.NotNull(management);
        Assert.True(management.IsNoOp);
    }

    [Fact]
    public void Compaction_is_read_as_a_strategy_switchboard_does_not_apply_itself()
    {
        var edit = Assert.IsType<UnsupportedContextEdit>(Assert.Single(Management("{'edits':[{'type':'compact_20260112'}]}")!.Edits));

        Assert.Equal("compact_20260112", edit.Type);
    }

    [Theory]
    [InlineData("{'edits':[{'type':'clear_tool_uses_20250919'},{'type':'clear_thinking_20251015'}]}",
        "context_management.edits.1: `clear_thinking_20251015` must be the first strategy in `context_management.edits`")]
    [InlineData("{'edits':[{'type':'clear_tool_uses_20250919'},{'type':'clear_tool_uses_20250919'}]}",
        "context_management.edits.1: Each context editing strategy may appear only once; `clear_tool_uses_20250919` is repeated")]
    [InlineData("{'edits':[{'type':'clear_everything'}]}",
        "context_management.edits.0.type: Input tag 'clear_everything' found using 'type' does not match any of the expected tags: 'clear_tool_uses_20250919', 'clear_thinking_20251015', 'compact_20260112'")]
    [InlineData("{'edits':[{}]}", "context_management.edits.0.type: Field required")]
    [InlineData("{'edits':['clear']}", "context_management.edits.0: Input should be an object")]
    [InlineData("{'edits':{}}", "context_management.edits: Input should be a valid list")]
    [InlineData("{'edits':[{'type':'clear_tool_uses_20250919','trigger':{'type':'messages','value':3}}]}",
        "context_management.edits.0.trigger.type: Input should be 'input_tokens' or 'tool_uses'")]
    [InlineData("{'edits':[{'type':'clear_tool_uses_20250919','trigger':{'type':'input_tokens','value':0}}]}",
        "context_management.edits.0.trigger.value: Input should be greater than or equal to 1")]
    [InlineData("{'edits':[{'type':'clear_tool_uses_20250919','trigger':{'type':'input_tokens'}}]}",
        "context_management.edits.0.trigger.value: Field required")]
    [InlineData("{'edits':[{'type':'clear_tool_uses_20250919','keep':{'type':'tool_uses','value':-1}}]}",
        "context_management.edits.0.keep.value: Input should be greater than or equal to 0")]
    [InlineData("{'edits':[{'type':'clear_tool_uses_20250919','keep':{'type':'input_tokens','value':1}}]}",
        "context_management.edits.0.keep.type: Input should be 'tool_uses'")]
    [InlineData("{'edits':[{'type':'clear_tool_uses_20250919','clear_at_least':{'type':'input_tokens','value':'many'}}]}",
        "context_management.edits.0.clear_at_least.value: Input should be a valid integer")]
    [InlineData("{'edits':[{'type':'clear_tool_uses_20250919','exclude_tools':['Read',7]}]}",
        "context_management.edits.0.exclude_tools.1: Input should be a valid string")]
    [InlineData("{'edits':[{'type':'clear_tool_uses_20250919','clear_tool_inputs':'yes'}]}",
        "context_management.edits.0.clear_tool_inputs: Input should be a valid boolean or a valid list of strings")]
    [InlineData("{'edits':[{'type':'clear_thinking_20251015','keep':'some'}]}",
        "context_management.edits.0.keep: Input should be 'all' or an object")]
    [InlineData("{'edits':[{'type':'clear_thinking_20251015','keep':{'type':'thinking_turns','value':0}}]}",
        "context_management.edits.0.keep.value: Input should be greater than or equal to 1")]
    [InlineData("[]", "context_management: Input should be an object")]
    public void Bad_values_are_refused_naming_the_field(string management, string message)
    {
        Assert.Equal(message, Rejection(With(extra: $"{Thinking},'context_management':{management}")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("'thinking':{'type':'disabled'},")]
    public void Clearing_thinking_without_thinking_on_is_refused(string thinking)
    {
        Assert.Equal(
            "context_management.edits.0: `clear_thinking_20251015` strategy requires `thinking` to be enabled or adaptive",
            Rejection(With(extra: thinking + "'context_management':{'edits':[{'type':'clear_thinking_20251015'}]}")));
    }
}
