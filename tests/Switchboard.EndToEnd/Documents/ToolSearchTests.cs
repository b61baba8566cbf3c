using System.Net;
using Switchboard.EndToEnd.AnthropicUpstream;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.FakeUpstream;

namespace Switchboard.EndToEnd.Documents;

/// <summary>
/// Claude Code's tool search on a model without it: a <c>tool_reference</c> answer reads "Tool loaded: …", and
/// deferred tools are offered once referenced, after the others; an Anthropic upstream gets the request as sent.
/// </summary>
public sealed class ToolSearchTests
{
    private const string Schema = """{"type":"object","properties":{}}""";

    private const string Body = $$$"""
        {"model":"fake-model","max_tokens":64,
         "tools":[{"name":"Bash","input_schema":{{{Schema}}}},
                  {"name":"CronCreate","input_schema":{{{Schema}}},"defer_loading":true},
                  {"name":"ToolSearch","input_schema":{{{Schema}}}},
                  {"name":"CronList","input_schema":{{{Schema}}},"defer_loading":true}],
         "messages":[{"role":"user","content":"List my cron jobs"},
                     {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"ToolSearch","input":{"query":"select:CronList"}}]},
                     {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"tool_reference","tool_name":"CronList"}]}]}]}
        """;

    [Fact]
    public async Task A_tool_search_turn_reads_the_loaded_tool_and_offers_it_after_the_others()
    {
        await using var host = await SwitchboardHost.StartAsync();
        host.Upstream.Enqueue(ScriptedReply.Text("Calling CronList."));

        using var response = await host.Http.PostAsync("/v1/messages", RawRequests.Json(Body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Assert.Single(host.Upstream.Requests).Body;
        var tools = sent.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("function").GetProperty("name").GetString()).ToList();
        Assert.Equal(["Bash", "ToolSearch", "CronList"], tools);
        var tool = UpstreamBody.Messages(sent).Single(m => m.GetProperty("role").GetString() == "tool");
        Assert.Equal("Tool loaded: CronList", UpstreamBody.Text(tool));
    }

    [Fact]
    public async Task An_anthropic_upstream_gets_tool_references_and_deferred_tools_as_sent()
    {
        await using var host = await AnthropicUpstreamHost.StartAsync();

        using var response = await host.Http.SendAsync(AnthropicUpstreamHost.Post("/v1/messages", Body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Assert.Single(host.Upstream.MessagesRequests).Body;
        Assert.Equal(4, sent.GetProperty("tools").GetArrayLength());
        Assert.True(sent.GetProperty("tools")[3].GetProperty("defer_loading").GetBoolean());
        Assert.Equal("tool_reference", sent.GetProperty("messages")[2].GetProperty("content")[0].GetProperty("content")[0].GetProperty("type").GetString());
    }
}
