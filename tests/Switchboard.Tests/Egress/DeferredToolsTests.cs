using System.Text.Json;
using Switchboard.Canonical;
using Switchboard.Egress;

namespace Switchboard.Tests.Egress;

public sealed class DeferredToolsTests
{
    private static readonly JsonElement Schema = JsonDocument.Parse("""{"type":"object"}""").RootElement.Clone();

    private static ToolDefinition Tool(string name, bool deferred = false) => new(name, null, Schema) { DeferLoading = deferred };

    private static RawBlock Reference(string name) =>
        new("anthropic", "tool_reference", $$"""{"type":"tool_reference","tool_name":"{{name}}"}""") { FallbackText = $"Tool loaded: {name}", ToolReference = name };

    private static MessageRequest Request(IReadOnlyList<Message> messages) => new()
    {
        Model = "m",
        MaxTokens = 10,
        Messages = messages,
        Tools = [Tool("CronDelete", deferred: true), Tool("Bash"), Tool("CronList", deferred: true), Tool("ToolSearch"), Tool("CronCreate", deferred: true)],
    };

    [Fact]
    public void Deferred_tools_are_left_out_until_referenced_then_follow_the_others_in_declared_order()
    {
        var first = RequestLowering.ForOtherDialect(Request([new Message(Role.User, [new TextBlock("Schedule it")])]), []);
        var later = RequestLowering.ForOtherDialect(Request(
        [
            new Message(Role.User, [new TextBlock("Schedule it")]),
            new Message(Role.Assistant, [new ToolUseBlock("toolu_1", "ToolSearch", """{"query":"cron"}""")]),
            new Message(Role.User, [new ToolResultBlock("toolu_1", [Reference("CronCreate"), Reference("CronList")], false)]),
        ]), []);

        Assert.Equal(["Bash", "ToolSearch"], first.Tools.Select(t => t.Name));
        Assert.Equal(["Bash", "ToolSearch", "CronList", "CronCreate"], later.Tools.Select(t => t.Name));
        var result = Assert.IsType<ToolResultBlock>(later.Messages[2].Content[0]);
        Assert.Equal([new TextBlock("Tool loaded: CronCreate"), new TextBlock("Tool loaded: CronList")], result.Content);
    }

    [Fact]
    public void An_anthropic_upstream_gets_the_references_and_every_tool_as_sent()
    {
        var request = Request([new Message(Role.User, [new ToolResultBlock("toolu_1", [Reference("CronList")], false)])]);

        var lowered = RequestLowering.ForDialect(request, "anthropic", allowGated: false, []);

        Assert.Equal(5, lowered.Tools.Count);
        Assert.IsType<RawBlock>(Assert.IsType<ToolResultBlock>(lowered.Messages[0].Content[0]).Content[0]);
    }
}
