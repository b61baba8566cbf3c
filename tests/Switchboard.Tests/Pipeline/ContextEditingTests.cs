using System.Text.Json;
using Switchboard.Canonical;
using Switchboard.Configuration;
using Switchboard.Egress;
using Switchboard.Pipeline;
using Switchboard.Routing;

namespace Switchboard.Tests.Pipeline;

/// <summary>The context-editing stage's rules, counted with the estimate (four characters a token).</summary>
public sealed class ContextEditingTests
{
    /// <summary>About 1,000 tokens of tool output.</summary>
    private static readonly string BigResult = new('r', 4000);

    private int _counts;

    private ValueTask<int> Count(MessageRequest request)
    {
        _counts++;
        return ValueTask.FromResult(TokenEstimator.Estimate(request));
    }

    private static ModelRoute Route(string api = "openai-chat", bool allowServerTools = false) => new(
        "m", new ModelOptions { Name = "m" },
        new UpstreamEndpoint("gpu", new UpstreamOptions { BaseUrl = "http://127.0.0.1:9/v1", Api = api, AllowServerTools = allowServerTools }, new HttpClient()),
        "m");

    /// <summary>A conversation of tool calls, one per name, each answered with a large result, oldest first.</summary>
    private static MessageRequest Conversation(ContextManagement management, params string[] tools)
    {
        var messages = new List<Message> { new(Role.User, [new TextBlock("Look around the repository.")]) };
        for (var i = 0; i < tools.Length; i++)
        {
            messages.Add(new Message(Role.Assistant, [new TextBlock($"Step {i}."), new ToolUseBlock($"toolu_{i}", tools[i], $$"""{"path":"file{{i}}.cs"}""")]));
            messages.Add(new Message(Role.User, [new ToolResultBlock($"toolu_{i}", [new TextBlock(BigResult + i)], IsError: false)]));
        }

        return new MessageRequest
        {
            Model = "m",
            MaxTokens = 100,
            Messages = messages,
            ContextManagement = management,
            Source = new RequestSource("anthropic", JsonDocument.Parse("{}").RootElement),
        };
    }

    private static ContextManagement Edits(params ContextEdit[] edits) => new(edits);

    private static string ResultText(MessageRequest request, string toolUseId) =>
        ((TextBlock)request.Messages.SelectMany(m => m.Content).OfType<ToolResultBlock>().Single(r => r.ToolUseId == toolUseId).Content.Single()).Text;

    private static string Input(MessageRequest request, string toolUseId) =>
        request.Messages.SelectMany(m => m.Content).OfType<ToolUseBlock>().Single(u => u.Id == toolUseId).InputJson;

    private static string[] ClearedIds(MessageRequest request) =>
        [.. request.Messages.SelectMany(m => m.Content).OfType<ToolResultBlock>()
            .Where(r => r.Content is [TextBlock { Text: ContextEditing.ClearedResult }]).Select(r => r.ToolUseId)];

    [Fact]
    public async Task Under_the_trigger_nothing_is_cleared_and_the_request_keeps_its_source()
    {
        var request = Conversation(Edits(new ClearToolUsesEdit { TriggerValue = 100_000 }), "Read", "Read", "Read", "Read", "Read");

        var outcome = await ContextEditing.ApplyAsync(request, Route(), Count);

        Assert.Same(request.Messages, outcome.Request.Messages);
        Assert.NotNull(outcome.Request.Source);
        Assert.Empty(outcome.Request.AppliedContextEdits!);
        Assert.Equal(TokenEstimator.Estimate(request), outcome.OriginalTokens);
    }

    [Fact]
    public async Task Over_the_trigger_the_oldest_results_are_cleared_keeping_three_by_default()
    {
        var request = Conversation(Edits(new ClearToolUsesEdit { TriggerValue = 2_000 }), "Read", "Grep", "Read", "Bash", "Read", "Read");
        var before = TokenEstimator.Estimate(request);

        var outcome = await ContextEditing.ApplyAsync(request, Route(), Count);

        var edited = outcome.Request;
        Assert.Equal(["toolu_0", "toolu_1", "toolu_2"], ClearedIds(edited));
        Assert.StartsWith(BigResult, ResultText(edited, "toolu_3"), StringComparison.Ordinal);
        Assert.Equal("""{"path":"file0.cs"}""", Input(edited, "toolu_0"));
        var after = TokenEstimator.Estimate(edited);
        Assert.Equal([new AppliedContextEdit("clear_tool_uses_20250919", 3, before - after)], edited.AppliedContextEdits!);
        Assert.True(before - after > 2_900, $"cleared {before - after}");
        Assert.Null(edited.Source);
        Assert.Equal(before, outcome.OriginalTokens);
        Assert.Equal(after, outcome.Tokens);

        // The client's request is not touched: only the copy sent upstream is edited.
        Assert.StartsWith(BigResult, ResultText(request, "toolu_0"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keep_sets_how_many_recent_tool_uses_stay()
    {
        var request = Conversation(Edits(new ClearToolUsesEdit { TriggerValue = 1_000, Keep = 4 }), "Read", "Read", "Read", "Read", "Read");

        var outcome = await ContextEditing.ApplyAsync(request, Route(), Count);

        Assert.Equal(["toolu_0"], ClearedIds(outcome.Request));
        Assert.Equal(1, Assert.Single(outcome.Request.AppliedContextEdits!).Cleared);
    }

    [Fact]
    public async Task With_fewer_tool_uses_than_keep_nothing_is_counted_or_cleared()
    {
        var request = Conversation(Edits(new ClearToolUsesEdit { TriggerValue = 1 }), "Read", "Read", "Read");

        var outcome = await ContextEditing.ApplyAsync(request, Route(), Count);

        Assert.Empty(ClearedIds(outcome.Request));
        Assert.Empty(outcome.Request.AppliedContextEdits!);
        Assert.Equal(0, _counts);
    }

    [Fact]
    public async Task When_clear_at_least_cannot_be_reached_nothing_is_cleared()
    {
        // Two clearable results of about 1,000 tokens each cannot clear 5,000.
        var request = Conversation(Edits(new ClearToolUsesEdit { TriggerValue = 1_000, ClearAtLeast = 5_000 }), "Read", "Read", "Read", "Read", "Read");

        var outcome = await ContextEditing.ApplyAsync(request, Route(), Count);

        Assert.Same(request.Messages, outcome.Request.Messages);
        Assert.Empty(outcome.Request.AppliedContextEdits!);
        Assert.NotNull(outcome.Request.Source);
        Assert.Equal(TokenEstimator.Estimate(request), outcome.Tokens);
    }

    [Fact]
    public async Task When_clear_at_least_is_reached_the_edit_is_applied()
    {
        var request = Conversation(Edits(new ClearToolUsesEdit { TriggerValue = 1_000, ClearAtLeast = 1_500 }), "Read", "Read", "Read", "Read", "Read");

        var outcome = await ContextEditing.ApplyAsync(request, Route(), Count);

        Assert.Equal(["toolu_0", "toolu_1"], ClearedIds(outcome.Request));
    }

    [Fact]
    public async Task Excluded_tools_keep_their_results()
    {
        var request = Conversation(
            Edits(new ClearToolUsesEdit { TriggerValue = 1_000, Keep = 1, ExcludeTools = ["Memory"] }), "Read", "Memory", "Read", "Memory", "Read");

        var outcome = await ContextEditing.ApplyAsync(request, Route(), Count);

        Assert.Equal(["toolu_0", "toolu_2"], ClearedIds(outcome.Request));
        Assert.Equal(2, Assert.Single(outcome.Request.AppliedContextEdits!).Cleared);
    }

    [Fact]
    public async Task Clear_tool_inputs_clears_the_calls_inputs_too()
    {
        var request = Conversation(Edits(new ClearToolUsesEdit { TriggerValue = 1_000, Keep = 1, ClearAllInputs = true }), "Read", "Write", "Read");

        var edited = (await ContextEditing.ApplyAsync(request, Route(), Count)).Request;

        Assert.Equal(ContextEditing.ClearedInput, Input(edited, "toolu_0"));
        Assert.Equal(ContextEditing.ClearedInput, Input(edited, "toolu_1"));
        Assert.Equal("""{"path":"file2.cs"}""", Input(edited, "toolu_2"));
    }

    [Fact]
    public async Task Clear_tool_inputs_as_a_list_clears_only_those_tools_inputs()
    {
        var request = Conversation(Edits(new ClearToolUsesEdit { TriggerValue = 1_000, Keep = 1, ClearInputsOf = ["Write"] }), "Read", "Write", "Read");

        var edited = (await ContextEditing.ApplyAsync(request, Route(), Count)).Request;

        Assert.Equal(["toolu_0", "toolu_1"], ClearedIds(edited));
        Assert.Equal("""{"path":"file0.cs"}""", Input(edited, "toolu_0"));
        Assert.Equal(ContextEditing.ClearedInput, Input(edited, "toolu_1"));
    }

    [Theory]
    [InlineData(5, false)]
    [InlineData(4, true)]
    public async Task A_tool_use_trigger_fires_once_the_conversation_has_more_tool_uses_than_its_value(int value, bool fires)
    {
        var request = Conversation(
            Edits(new ClearToolUsesEdit { Trigger = ContextTrigger.ToolUses, TriggerValue = value }), "Read", "Read", "Read", "Read", "Read");

        var outcome = await ContextEditing.ApplyAsync(request, Route(), Count);

        Assert.Equal(fires ? ["toolu_0", "toolu_1"] : [], ClearedIds(outcome.Request));
        Assert.Equal(fires ? 2 : 0, _counts);
    }

    private static MessageRequest Thoughtful(ContextManagement management, int turns)
    {
        var messages = new List<Message> { new(Role.User, [new TextBlock("Think it through.")]) };
        for (var i = 0; i < turns; i++)
        {
            messages.Add(new Message(Role.Assistant, [new ThinkingBlock(new string('t', 2000) + i, "sig" + i), new TextBlock($"Answer {i}.")]));
            messages.Add(new Message(Role.User, [new TextBlock($"And then {i}?")]));
        }

        return new MessageRequest
        {
            Model = "m",
            MaxTokens = 100,
            Messages = messages,
            Thinking = new ThinkingConfig(ThinkingMode.Adaptive, null),
            ContextManagement = management,
            Source = new RequestSource("anthropic", JsonDocument.Parse("{}").RootElement),
        };
    }

    private static int[] TurnsWithThinking(MessageRequest request) =>
        [.. request.Messages.Select((m, i) => (m, i)).Where(x => x.m.Content.OfType<ThinkingBlock>().Any()).Select(x => x.i)];

    [Theory]
    [InlineData(1, new[] { 5 })]
    [InlineData(2, new[] { 3, 5 })]
    [InlineData(3, new[] { 1, 3, 5 })]
    public async Task Clear_thinking_keeps_the_last_turns_with_thinking(int keep, int[] kept)
    {
        var request = Thoughtful(Edits(new ClearThinkingEdit(keep)), turns: 3);
        var before = TokenEstimator.Estimate(request);

        var edited = (await ContextEditing.ApplyAsync(request, Route(), Count)).Request;

        Assert.Equal(kept, TurnsWithThinking(edited));
        var cleared = 3 - kept.Length;
        if (cleared > 0)
        {
            // The turn keeps its answer; only the thinking goes.
            Assert.Equal("Answer 0.", ((TextBlock)Assert.Single(edited.Messages[1].Content)).Text);
        }

        Assert.Equal(
            cleared == 0 ? [] : [new AppliedContextEdit("clear_thinking_20251015", cleared, before - TokenEstimator.Estimate(edited))],
            edited.AppliedContextEdits!);
    }

    [Fact]
    public async Task Keep_all_thinking_changes_nothing_and_counts_nothing()
    {
        var request = Thoughtful(Edits(new ClearThinkingEdit(null)), turns: 3);

        var outcome = await ContextEditing.ApplyAsync(request, Route(), Count);

        Assert.Same(request.Messages, outcome.Request.Messages);
        Assert.NotNull(outcome.Request.Source);
        Assert.Empty(outcome.Request.AppliedContextEdits!);
        Assert.Equal(0, _counts);
    }

    [Fact]
    public async Task Edits_run_in_order_and_each_sees_the_last_ones_result()
    {
        // Thinking clearing comes first and takes the request under the tool edit's trigger, so that one does not fire.
        var request = Thoughtful(Edits(new ClearThinkingEdit(1), new ClearToolUsesEdit { TriggerValue = 1_000, Keep = 0 }), turns: 3);
        var messages = request.Messages.ToList();
        messages.Insert(3, new Message(Role.Assistant, [new ToolUseBlock("toolu_x", "Read", "{}")]));
        messages.Insert(4, new Message(Role.User, [new ToolResultBlock("toolu_x", [new TextBlock(new string('x', 1200))], IsError: false)]));
        request = request with { Messages = messages };
        var before = TokenEstimator.Estimate(request);
        Assert.InRange(before, 1_001, 2_300);

        var edited = (await ContextEditing.ApplyAsync(request, Route(), Count)).Request;

        Assert.Equal("clear_thinking_20251015", Assert.Single(edited.AppliedContextEdits!).Type);
        Assert.Empty(ClearedIds(edited));

        // With a lower trigger both run, thinking first.
        var both = (await ContextEditing.ApplyAsync(
            request with { ContextManagement = Edits(new ClearThinkingEdit(1), new ClearToolUsesEdit { TriggerValue = 100, Keep = 0 }) }, Route(), Count)).Request;
        Assert.Equal(["clear_thinking_20251015", "clear_tool_uses_20250919"], both.AppliedContextEdits!.Select(e => e.Type));
        Assert.Equal(["toolu_x"], ClearedIds(both));
        Assert.Equal(before - TokenEstimator.Estimate(both), both.AppliedContextEdits!.Sum(e => e.ClearedInputTokens));
    }

    [Fact]
    public async Task Compaction_is_refused_when_switchboard_edits_the_request()
    {
        var request = Conversation(Edits(new UnsupportedContextEdit("compact_20260112")), "Read");

        var failure = await Assert.ThrowsAsync<ApiException>(() => ContextEditing.ApplyAsync(request, Route(), Count).AsTask());

        Assert.Equal(ApiErrorKind.InvalidRequest, failure.Error.Kind);
        Assert.StartsWith("context_management.edits.0.type: `compact_20260112` is not supported", failure.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_anthropic_upstream_with_its_own_features_gets_the_request_untouched()
    {
        var request = Conversation(Edits(new ClearToolUsesEdit { TriggerValue = 1_000 }, new UnsupportedContextEdit("compact_20260112")), "Read", "Read", "Read", "Read", "Read");

        var outcome = await ContextEditing.ApplyAsync(request, Route("anthropic", allowServerTools: true), Count);

        Assert.Same(request, outcome.Request);
        Assert.Null(outcome.Request.AppliedContextEdits);
        Assert.Equal(0, _counts);

        // Without AllowServerTools Switchboard applies the edit itself.
        var local = await ContextEditing.ApplyAsync(request with { ContextManagement = Edits(new ClearToolUsesEdit { TriggerValue = 1_000 }) }, Route("anthropic"), Count);
        Assert.Equal(["toolu_0", "toolu_1"], ClearedIds(local.Request));
    }

    [Fact]
    public async Task A_request_without_context_management_passes_unchanged()
    {
        var request = Conversation(Edits(), "Read") with { ContextManagement = null };

        var outcome = await ContextEditing.ApplyAsync(request, Route(), Count);

        Assert.Same(request, outcome.Request);
        Assert.Null(outcome.Request.AppliedContextEdits);
        Assert.Equal(0, _counts);
    }
}
