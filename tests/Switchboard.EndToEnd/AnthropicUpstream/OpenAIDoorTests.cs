using System.Net;
using System.Text.Json;
using OpenAI.Chat;
using OpenAI.Responses;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.EndToEnd.OpenAIChat;
using Switchboard.EndToEnd.OpenAIResponses;
using Switchboard.FakeUpstream;

#pragma warning disable OPENAI001

namespace Switchboard.EndToEnd.AnthropicUpstream;

/// <summary>
/// The OpenAI doors in front of an Anthropic-compatible upstream: requests translated to the Messages API through the
/// canonical model, answers (text, thinking, tool calls, usage with cache reads) translated back.
/// </summary>
public sealed class OpenAIDoorTests
{
    private static ScriptedMessagesReply ToolReply() => new()
    {
        Blocks =
        [
            ScriptedBlock.Thinking("Need Oslo's weather.", "EqQBsig=="),
            ScriptedBlock.OfText("Checking."),
            ScriptedBlock.ToolUse("toolu_01A", "get_weather", """{"city":"Oslo"}"""),
        ],
        StopReason = "tool_use",
        InputTokens = 50,
        CacheReadTokens = 200,
        OutputTokens = 30,
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Chat_completions_with_tools_reach_the_messages_api_and_come_back_as_tool_calls_with_reasoning_and_usage(bool stream)
    {
        await using var host = await AnthropicUpstreamHost.StartAsync();
        host.Upstream.EnqueueMessages(ToolReply());
        var client = OpenAIChatClient.For(host);
        var options = new ChatCompletionOptions { Tools = { OpenAIChatClient.WeatherTool() }, MaxOutputTokenCount = 300, Temperature = 0.2f };
        List<ChatMessage> messages = [new SystemChatMessage("Be brief."), new UserChatMessage("Weather in Oslo?")];

        string? callId, name, arguments;
        int input, output, cached;
        if (stream)
        {
            var updates = new List<StreamingChatCompletionUpdate>();
            await foreach (var update in client.CompleteChatStreamingAsync(messages, options))
            {
                updates.Add(update);
            }

            var call = updates.SelectMany(u => u.ToolCallUpdates).ToList();
            callId = call.First(c => c.ToolCallId is not null).ToolCallId;
            name = call.First(c => c.FunctionName is not null).FunctionName;
            arguments = string.Concat(call.Select(c => c.FunctionArgumentsUpdate?.ToString()));
            Assert.Equal(ChatFinishReason.ToolCalls, updates.Last(u => u.FinishReason is not null).FinishReason);
            Assert.Equal("Checking.", string.Concat(updates.SelectMany(u => u.ContentUpdate).Select(p => p.Text)));
            var usage = updates.Last(u => u.Usage is not null).Usage;
            (input, output, cached) = (usage.InputTokenCount, usage.OutputTokenCount, usage.InputTokenDetails.CachedTokenCount);
        }
        else
        {
            ChatCompletion completion = await client.CompleteChatAsync(messages, options);
            var call = Assert.Single(completion.ToolCalls);
            (callId, name, arguments) = (call.Id, call.FunctionName, call.FunctionArguments.ToString());
            Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
            Assert.Equal("Checking.", Assert.Single(completion.Content).Text);
            (input, output, cached) = (completion.Usage.InputTokenCount, completion.Usage.OutputTokenCount, completion.Usage.InputTokenDetails.CachedTokenCount);
            var raw = OpenAIChatClient.Parse(completion.GetType().Name.Length > 0 ? JsonSerializer.Serialize(new { }) : "{}");
            Assert.Equal(JsonValueKind.Object, raw.ValueKind);
        }

        Assert.Equal("get_weather", name);
        Assert.Equal("""{"city":"Oslo"}""", arguments);
        Assert.False(string.IsNullOrEmpty(callId));
        Assert.Equal((250, 30, 200), (input, output, cached));

        var sent = Assert.Single(host.Upstream.MessagesRequests).Body;
        Assert.Equal("fake-model", sent.GetProperty("model").GetString());
        Assert.Equal(300, sent.GetProperty("max_tokens").GetInt32());
        Assert.Equal("Be brief.", sent.GetProperty("system").GetString());
        Assert.Equal(stream, sent.TryGetProperty("stream", out var s) && s.GetBoolean());
        var tool = Assert.Single(sent.GetProperty("tools").EnumerateArray());
        Assert.Equal("get_weather", tool.GetProperty("name").GetString());
        Assert.Equal("object", tool.GetProperty("input_schema").GetProperty("type").GetString());
        var user = Assert.Single(sent.GetProperty("messages").EnumerateArray());
        Assert.Equal("Weather in Oslo?", user.GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task Thinking_reaches_chat_clients_as_reasoning_content_and_tool_results_go_back_as_messages_blocks()
    {
        await using var host = await AnthropicUpstreamHost.StartAsync();
        host.Upstream.EnqueueMessages(ToolReply(), ScriptedMessagesReply.Text("It is sunny."));

        using var first = await OpenAIChatClient.PostAsync(host, OpenAIChatClient.WeatherRequest("fake-model", stream: false));
        var message = OpenAIChatClient.Parse(await first.Content.ReadAsStringAsync()).GetProperty("choices")[0].GetProperty("message");
        Assert.Equal("Need Oslo's weather.", message.GetProperty("reasoning_content").GetString());
        var call = message.GetProperty("tool_calls")[0];

        var second = JsonSerializer.Serialize(new
        {
            model = "fake-model",
            messages = new object[]
            {
                new { role = "user", content = "What's the weather in Oslo?" },
                new { role = "assistant", content = "Checking.", tool_calls = new[] { new { id = call.GetProperty("id").GetString(), type = "function", function = new { name = "get_weather", arguments = """{"city":"Oslo"}""" } } } },
                new { role = "tool", tool_call_id = call.GetProperty("id").GetString(), content = "Sunny, 21 C" },
            },
        });
        using var answer = await OpenAIChatClient.PostAsync(host, second);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("It is sunny.", OpenAIChatClient.Parse(await answer.Content.ReadAsStringAsync()).GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        var sent = host.Upstream.MessagesRequests[1].Body.GetProperty("messages");
        Assert.Equal(3, sent.GetArrayLength());
        var toolUse = sent[1].GetProperty("content").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "tool_use");
        var toolResult = sent[2].GetProperty("content")[0];
        Assert.Equal("tool_result", toolResult.GetProperty("type").GetString());
        Assert.Equal(toolUse.GetProperty("id").GetString(), toolResult.GetProperty("tool_use_id").GetString());
        Assert.Equal("Sunny, 21 C", toolResult.GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal("Oslo", toolUse.GetProperty("input").GetProperty("city").GetString());
    }

    [Fact]
    public async Task A_responses_client_gets_text_reasoning_and_usage_from_the_messages_api()
    {
        await using var host = await AnthropicUpstreamHost.StartAsync();
        host.Upstream.EnqueueMessages(new ScriptedMessagesReply
        {
            Blocks = [ScriptedBlock.Thinking("Greet back.", "EqQBsig=="), ScriptedBlock.OfText("Hello there.")],
            InputTokens = 12,
            CacheReadTokens = 4,
            OutputTokens = 3,
        });
        var client = ResponsesSdk.For(host);

        ResponseResult response = await client.CreateResponseAsync(new CreateResponseOptions(SwitchboardHost.Model, [ResponseItem.CreateUserMessageItem("Hi")])
        {
            Instructions = "Be brief.",
        });

        Assert.Equal("Hello there.", response.GetOutputText());
        Assert.Equal((16, 3, 4), (response.Usage.InputTokenCount, response.Usage.OutputTokenCount, response.Usage.InputTokenDetails.CachedTokenCount));
        Assert.Contains(response.OutputItems, item => item is ReasoningResponseItem);
        var sent = Assert.Single(host.Upstream.MessagesRequests).Body;
        Assert.Equal("Be brief.", sent.GetProperty("system").GetString());
        Assert.Equal("Hi", sent.GetProperty("messages")[0].GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task An_upstream_error_reaches_a_chat_client_in_openai_terms()
    {
        await using var host = await AnthropicUpstreamHost.StartAsync();
        host.Upstream.EnqueueMessages(ScriptedMessagesReply.Fail(429, "rate_limit_error", "slow down"));

        using var response = await OpenAIChatClient.PostAsync(host, """{"model":"fake-model","messages":[{"role":"user","content":"Hi"}]}""");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("rate_limit_exceeded", OpenAIChatClient.Parse(await response.Content.ReadAsStringAsync()).GetProperty("error").GetProperty("code").GetString());
    }
}
