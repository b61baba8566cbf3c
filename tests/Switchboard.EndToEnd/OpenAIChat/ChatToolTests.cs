using System.Text.Json;
using OpenAI.Chat;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.FakeUpstream;

namespace Switchboard.EndToEnd.OpenAIChat;

/// <summary>Tool calls, parallel calls and a tool loop through the official OpenAI .NET SDK.</summary>
public sealed class ChatToolTests
{
    [Fact]
    public async Task A_tool_call_reaches_the_sdk_with_a_call_id_and_arguments_that_parse()
    {
        await using var host = await SwitchboardHost.StartAsync();
        host.Upstream.Enqueue(new ScriptedReply { ToolCalls = [new ScriptedToolCall { Id = "chatcmpl-tool-7f3a", Name = "get_weather", Arguments = """{"city": "Oslo"}""" }] });

        var result = await OpenAIChatClient.For(host).CompleteChatAsync(
            [new UserChatMessage("Weather in Oslo?")], new ChatCompletionOptions { Tools = { OpenAIChatClient.WeatherTool() } });
        ChatCompletion completion = result.Value;

        Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
        var call = Assert.Single(completion.ToolCalls);
        Assert.Equal("call_chatcmpl-tool-7f3a", call.Id);
        Assert.Equal(ChatToolCallKind.Function, call.Kind);
        Assert.Equal("get_weather", call.FunctionName);
        Assert.Equal("Oslo", JsonDocument.Parse(call.FunctionArguments).RootElement.GetProperty("city").GetString());
        using var raw = JsonDocument.Parse(result.GetRawResponse().Content);
        Assert.Equal(JsonValueKind.Null, raw.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").ValueKind);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Parallel_tool_calls_arrive_in_order_each_with_its_own_id(bool stream)
    {
        await using var host = await SwitchboardHost.StartAsync();
        host.Upstream.Enqueue(new ScriptedReply
        {
            ChunkSize = 3,
            ToolCalls =
            [
                new ScriptedToolCall { Name = "get_weather", Arguments = """{"city": "Oslo"}""" },
                new ScriptedToolCall { Name = "get_weather", Arguments = """{"city": "Rome"}""" },
            ],
        });
        var client = OpenAIChatClient.For(host);
        var options = new ChatCompletionOptions { Tools = { OpenAIChatClient.WeatherTool() }, AllowParallelToolCalls = true };

        var calls = stream
            ? await StreamedCallsAsync(client, options)
            : (await client.CompleteChatAsync([new UserChatMessage("Weather in Oslo and Rome?")], options)).Value.ToolCalls
                .Select(c => (c.Id, c.FunctionName, c.FunctionArguments.ToString())).ToList();

        Assert.Equal(2, calls.Count);
        Assert.Equal(["Oslo", "Rome"], calls.Select(c => JsonDocument.Parse(c.Item3).RootElement.GetProperty("city").GetString()));
        Assert.All(calls, c => Assert.StartsWith("call_", c.Item1, StringComparison.Ordinal));
        Assert.All(calls, c => Assert.Equal("get_weather", c.Item2));
        Assert.NotEqual(calls[0].Item1, calls[1].Item1);
    }

    [Fact]
    public async Task A_two_turn_tool_loop_sends_the_call_and_its_result_back_to_the_model()
    {
        await using var host = await SwitchboardHost.StartAsync();
        host.Upstream.Enqueue(new ScriptedReply { ToolCalls = [new ScriptedToolCall { Id = "up-1", Name = "get_weather", Arguments = """{"city": "Oslo"}""" }] });
        host.Upstream.Enqueue(ScriptedReply.Text("It is 4°C in Oslo."));
        var client = OpenAIChatClient.For(host);
        var options = new ChatCompletionOptions { Tools = { OpenAIChatClient.WeatherTool() } };
        List<ChatMessage> messages = [new UserChatMessage("Weather in Oslo?")];

        ChatCompletion first = await client.CompleteChatAsync(messages, options);
        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage(first.ToolCalls[0].Id, "4°C, cloudy"));
        ChatCompletion second = await client.CompleteChatAsync(messages, options);

        Assert.Equal("It is 4°C in Oslo.", second.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, second.FinishReason);
        var sent = UpstreamBody.Messages(host.Upstream.Requests[1].Body);
        var assistant = sent.Single(m => m.GetProperty("role").GetString() == "assistant");
        var call = Assert.Single(assistant.GetProperty("tool_calls").EnumerateArray());
        Assert.Equal("get_weather", call.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("Oslo", JsonDocument.Parse(call.GetProperty("function").GetProperty("arguments").GetString()!).RootElement.GetProperty("city").GetString());
        var tool = sent.Single(m => m.GetProperty("role").GetString() == "tool");
        Assert.Equal(call.GetProperty("id").GetString(), tool.GetProperty("tool_call_id").GetString());
        Assert.Equal("4°C, cloudy", UpstreamBody.Text(tool));
    }

    [Fact]
    public async Task Streamed_tool_deltas_open_with_id_type_and_name_and_carry_a_function_object_every_time()
    {
        await using var host = await SwitchboardHost.StartAsync();
        host.Upstream.Enqueue(new ScriptedReply { Content = "Checking.", ChunkSize = 4, ToolCalls = [new ScriptedToolCall { Name = "get_weather", Arguments = """{"city": "Oslo"}""" }] });

        var data = await OpenAIChatClient.StreamDataAsync(host, OpenAIChatClient.WeatherRequest(SwitchboardHost.Model, stream: true));

        var calls = data[..^1].Select(OpenAIChatClient.Parse)
            .Select(c => c.GetProperty("choices")[0].GetProperty("delta"))
            .Where(d => d.TryGetProperty("tool_calls", out _))
            .Select(d => d.GetProperty("tool_calls")[0])
            .ToList();
        Assert.True(calls.Count > 1);
        Assert.Equal("function", calls[0].GetProperty("type").GetString());
        Assert.Equal("get_weather", calls[0].GetProperty("function").GetProperty("name").GetString());
        Assert.StartsWith("call_", calls[0].GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.All(calls, c => Assert.Equal(0, c.GetProperty("index").GetInt32()));
        Assert.All(calls, c => Assert.Equal(JsonValueKind.Object, c.GetProperty("function").ValueKind));
        Assert.All(calls.Skip(1), c => Assert.False(c.TryGetProperty("id", out _)));
        var arguments = string.Concat(calls.Select(c => c.GetProperty("function").GetProperty("arguments").GetString()));
        Assert.Equal("Oslo", JsonDocument.Parse(arguments).RootElement.GetProperty("city").GetString());
    }

    private static async Task<List<(string, string, string)>> StreamedCallsAsync(ChatClient client, ChatCompletionOptions options)
    {
        var ids = new Dictionary<int, string>();
        var names = new Dictionary<int, string>();
        var arguments = new Dictionary<int, System.Text.StringBuilder>();
        ChatFinishReason? finish = null;
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("Weather in Oslo and Rome?")], options))
        {
            finish ??= update.FinishReason;
            foreach (var part in update.ToolCallUpdates)
            {
                if (part.ToolCallId is { } id)
                {
                    ids[part.Index] = id;
                }

                if (part.FunctionName is { } name)
                {
                    names[part.Index] = name;
                }

                (arguments.TryGetValue(part.Index, out var sb) ? sb : arguments[part.Index] = new()).Append(part.FunctionArgumentsUpdate?.ToString());
            }
        }

        Assert.Equal(ChatFinishReason.ToolCalls, finish);
        return ids.Keys.Order().Select(i => (ids[i], names[i], arguments[i].ToString())).ToList();
    }
}
