using System.Text.Json;
using System.Text.Json.Nodes;
using OpenAI.Responses;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.FakeUpstream;

#pragma warning disable OPENAI001

namespace Switchboard.EndToEnd.OpenAIResponses;

/// <summary>
/// Tool calls on the Responses door: the function-call loop through the .NET SDK, freeform (<c>custom</c>) tools
/// returned as <c>custom_tool_call</c> with the raw text, namespace members offered under a flat name and returned
/// with <c>namespace</c> and the bare name (what Codex dispatches on), hosted tools left out.
/// </summary>
public sealed class ResponsesToolTests
{
    private const string WeatherSchema = """{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_function_call_loop_runs_through_the_sdk_and_the_output_reaches_the_model(bool stream)
    {
        await using var host = await SwitchboardHost.StartAsync();
        host.Upstream.Enqueue(new ScriptedReply { ToolCalls = [new ScriptedToolCall { Name = "get_weather", Arguments = """{"city":"Oslo"}""", Id = "chatcmpl-tool-7" }] });
        host.Upstream.Enqueue(ScriptedReply.Text("It is 4°C in Oslo."));
        var client = ResponsesSdk.For(host);
        var options = new CreateResponseOptions(SwitchboardHost.Model, [ResponseItem.CreateUserMessageItem("Weather in Oslo?")])
        {
            Tools = { ResponseTool.CreateFunctionTool("get_weather", BinaryData.FromString(WeatherSchema), strictModeEnabled: false, "The weather in a city") },
        };

        var first = await CreateAsync(client, options, stream);

        var call = Assert.IsAssignableFrom<FunctionCallResponseItem>(Assert.Single(first.OutputItems));
        Assert.Equal("get_weather", call.FunctionName);
        Assert.Equal("call_chatcmpl-tool-7", call.CallId);
        Assert.StartsWith("fc_", call.Id, StringComparison.Ordinal);
        Assert.Equal("Oslo", JsonDocument.Parse(call.FunctionArguments.ToString()).RootElement.GetProperty("city").GetString());
        Assert.Equal(ResponseStatus.Completed, first.Status);

        options.InputItems.Add(call);
        options.InputItems.Add(ResponseItem.CreateFunctionCallOutputItem(call.CallId, "4°C, cloudy"));
        var second = await CreateAsync(client, options, stream);

        Assert.Equal("It is 4°C in Oslo.", second.GetOutputText());
        var upstreamTools = host.Upstream.Requests[0].Body.GetProperty("tools");
        Assert.Equal("get_weather", upstreamTools[0].GetProperty("function").GetProperty("name").GetString());
        var messages = host.Upstream.Requests[1].Body.GetProperty("messages");
        Assert.Equal(["user", "assistant", "tool"], messages.EnumerateArray().Select(m => m.GetProperty("role").GetString()));
        Assert.Equal("call_chatcmpl-tool-7", messages[1].GetProperty("tool_calls")[0].GetProperty("id").GetString());
        Assert.Equal("call_chatcmpl-tool-7", messages[2].GetProperty("tool_call_id").GetString());
        Assert.Equal("4°C, cloudy", UpstreamBody.Text(messages[2]));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_freeform_tool_is_offered_as_one_string_parameter_and_its_call_comes_back_as_custom_tool_call(bool stream)
    {
        await using var host = await SwitchboardHost.StartAsync();
        const string Patch = "*** Begin Patch\n*** Add File: a.txt\n+\"hi\"\n*** End Patch";
        host.Upstream.Enqueue(new ScriptedReply { ToolCalls = [new ScriptedToolCall { Name = "apply_patch", Arguments = JsonSerializer.Serialize(new { input = Patch }), Id = "call_p1" }], ChunkSize = 5 });
        var body = $$$"""{"model":"fake-model","stream":{{{(stream ? "true" : "false")}}},"input":"Add a.txt","tools":[{"type":"custom","name":"apply_patch","description":"Apply a patch.","format":{"type":"grammar","syntax":"lark","definition":"start: /.+/"}}]}""";

        var item = await OnlyOutputItemAsync(host, body, stream);

        Assert.Equal("custom_tool_call", item.GetProperty("type").GetString());
        Assert.Equal("apply_patch", item.GetProperty("name").GetString());
        Assert.Equal("call_p1", item.GetProperty("call_id").GetString());
        Assert.Equal(Patch, item.GetProperty("input").GetString());
        Assert.Equal("completed", item.GetProperty("status").GetString());
        var offered = host.Upstream.Requests[0].Body.GetProperty("tools")[0].GetProperty("function");
        Assert.Equal("apply_patch", offered.GetProperty("name").GetString());
        Assert.Equal("string", offered.GetProperty("parameters").GetProperty("properties").GetProperty("input").GetProperty("type").GetString());
        Assert.StartsWith("Apply a patch.", offered.GetProperty("description").GetString(), StringComparison.Ordinal);

        // The call and its output replayed: the model sees its own call and the result.
        host.Upstream.Enqueue(ScriptedReply.Text("Done."));
        var replay = $$$"""{"model":"fake-model","input":[{"role":"user","content":"Add a.txt"},{{{item.GetRawText()}}},{"type":"custom_tool_call_output","call_id":"call_p1","output":"Success."}],"tools":[{"type":"custom","name":"apply_patch"}]}""";
        using var second = await ResponsesSdk.PostAsync(host, replay);
        Assert.Equal(System.Net.HttpStatusCode.OK, second.StatusCode);
        var messages = host.Upstream.Requests[1].Body.GetProperty("messages");
        var sent = messages[1].GetProperty("tool_calls")[0].GetProperty("function");
        Assert.Equal(Patch, JsonDocument.Parse(sent.GetProperty("arguments").GetString()!).RootElement.GetProperty("input").GetString());
        Assert.Equal("Success.", UpstreamBody.Text(messages[2]));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_namespace_member_is_offered_flat_and_called_back_with_its_namespace_and_bare_name(bool stream)
    {
        await using var host = await SwitchboardHost.StartAsync();
        host.Upstream.Enqueue(new ScriptedReply { ToolCalls = [new ScriptedToolCall { Name = "multi_agent_v1__close_agent", Arguments = """{"target":"a1"}""" }] });
        var body = """
            {"model":"fake-model","stream":STREAM,"input":"Close a1","client_metadata":{"session_id":"s"},
             "tools":[{"type":"namespace","name":"multi_agent_v1","description":"Sub-agents.","tools":[{"type":"function","name":"close_agent","strict":false,"parameters":{"type":"object","properties":{"target":{"type":"string"}}}}]},
                      {"type":"web_search","external_web_access":false}]}
            """.Replace("STREAM", stream ? "true" : "false", StringComparison.Ordinal);

        var item = await OnlyOutputItemAsync(host, body, stream);

        Assert.Equal("function_call", item.GetProperty("type").GetString());
        Assert.Equal("close_agent", item.GetProperty("name").GetString());
        Assert.Equal("multi_agent_v1", item.GetProperty("namespace").GetString());
        Assert.Equal("""{"target":"a1"}""", item.GetProperty("arguments").GetString());
        var offered = host.Upstream.Requests[0].Body.GetProperty("tools");
        Assert.Equal(["multi_agent_v1__close_agent"], offered.EnumerateArray().Select(t => t.GetProperty("function").GetProperty("name").GetString()));
        Assert.False(host.Upstream.Requests[0].Body.TryGetProperty("client_metadata", out _));

        // Codex replays the call with its namespace: the model sees the flat name it called.
        host.Upstream.Enqueue(ScriptedReply.Text("Closed."));
        var replay = JsonNode.Parse(body)!.AsObject();
        replay["stream"] = false;
        replay["input"] = new JsonArray(
            JsonNode.Parse("""{"role":"user","content":"Close a1"}"""),
            JsonNode.Parse(item.GetRawText()),
            JsonNode.Parse($$$"""{"type":"function_call_output","call_id":"{{{item.GetProperty("call_id").GetString()}}}","output":"closed"}"""));
        using var second = await ResponsesSdk.PostAsync(host, replay.ToJsonString());
        Assert.Equal(System.Net.HttpStatusCode.OK, second.StatusCode);
        var sent = host.Upstream.Requests[1].Body.GetProperty("messages")[1].GetProperty("tool_calls")[0].GetProperty("function");
        Assert.Equal("multi_agent_v1__close_agent", sent.GetProperty("name").GetString());
    }

    private static async Task<ResponseResult> CreateAsync(ResponsesClient client, CreateResponseOptions options, bool stream)
    {
        if (!stream)
        {
            return (await client.CreateResponseAsync(options)).Value;
        }

        options.StreamingEnabled = true;
        ResponseResult? completed = null;
        await foreach (var update in await client.CreateResponseStreamingAsync(options))
        {
            if (update is StreamingResponseCompletedUpdate done)
            {
                completed = done.Response;
            }
        }

        options.StreamingEnabled = null;
        return completed ?? throw new InvalidOperationException("no response.completed");
    }

    /// <summary>The answer's one output item: from the response object, or from the stream's output_item.done (checked against response.completed).</summary>
    private static async Task<JsonElement> OnlyOutputItemAsync(SwitchboardHost host, string body, bool stream)
    {
        if (!stream)
        {
            using var response = await ResponsesSdk.PostAsync(host, body);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            return Assert.Single(ResponsesSdk.Parse(await response.Content.ReadAsStringAsync()).GetProperty("output").EnumerateArray());
        }

        var events = await ResponsesSdk.StreamAsync(host, body);
        var done = Assert.Single(events, e => e.Name == "response.output_item.done").Data.GetProperty("item");
        var completed = events[^1];
        Assert.Equal("response.completed", completed.Name);
        Assert.Equal(done.GetRawText(), Assert.Single(completed.Data.GetProperty("response").GetProperty("output").EnumerateArray()).GetRawText());
        return done;
    }
}
