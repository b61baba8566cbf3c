using System.Text.Json;
using OpenAI.Chat;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.FakeUpstream;

namespace Switchboard.EndToEnd.OpenAIChat;

/// <summary>
/// Reasoning as <c>reasoning_content</c> (the field vLLM, SGLang, DeepSeek and most open-model clients read), and
/// raw model markup from a server without parsers reaching OpenAI clients as <c>tool_calls</c> and reasoning. The
/// .NET SDK has no reasoning property, so reasoning is read from the raw JSON.
/// </summary>
public sealed class ChatReasoningTests
{
    public static TheoryData<string, bool> RawFamilies => new()
    {
        { "qwen3-coder", false },
        { "qwen3-coder", true },
        { "minimax-m2", false },
        { "minimax-m2", true },
        { "gpt-oss", false },
        { "gpt-oss", true },
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Upstream_reasoning_reaches_the_client_as_reasoning_content_with_reasoning_tokens(bool stream)
    {
        await using var host = await SwitchboardHost.StartAsync();
        host.Upstream.Enqueue(new ScriptedReply { Reasoning = "The user greets me; greet back.", Content = "Hello!", ChunkSize = 5, Usage = new ScriptedUsage { PromptTokens = 5, CompletionTokens = 20 } });
        var body = """{"model":"fake-model","stream":STREAM,"stream_options":USAGE,"messages":[{"role":"user","content":"Hi"}]}"""
            .Replace("STREAM", stream ? "true" : "false", StringComparison.Ordinal)
            .Replace("USAGE", stream ? """{"include_usage":true}""" : "null", StringComparison.Ordinal);

        var (reasoning, content, usage) = stream ? await StreamedAsync(host, body) : await WholeAsync(host, body);

        Assert.Equal("The user greets me; greet back.", reasoning);
        Assert.Equal("Hello!", content);
        Assert.InRange(usage.GetProperty("completion_tokens_details").GetProperty("reasoning_tokens").GetInt32(), 1, 20);
        Assert.Equal(20, usage.GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task Reasoning_is_also_sent_as_reasoning_when_configured()
    {
        await using var host = await SwitchboardHost.StartAsync(args: ["--Switchboard:ChatCompletions:AlsoSendReasoning=true"]);
        host.Upstream.Enqueue(new ScriptedReply { Reasoning = "Think.", Content = "Hi" });

        using var response = await OpenAIChatClient.PostAsync(host, """{"model":"fake-model","messages":[{"role":"user","content":"Hi"}]}""");
        var message = OpenAIChatClient.Parse(await response.Content.ReadAsStringAsync()).GetProperty("choices")[0].GetProperty("message");

        Assert.Equal(("Think.", "Think."), (message.GetProperty("reasoning_content").GetString(), message.GetProperty("reasoning").GetString()));
    }

    [Theory]
    [MemberData(nameof(RawFamilies))]
    public async Task Raw_markup_reaches_the_client_as_tool_calls_and_reasoning_content(string family, bool stream)
    {
        var c = FamilyCase.All[family];
        await using var host = await SwitchboardHost.StartAsync(new FakeServerOptions { Models = [c.UpstreamModel] }, ["--model", c.UpstreamModel], quickstartModel: false);
        host.Upstream.Enqueue(new ScriptedReply { Content = c.Raw, ChunkSize = 3 });
        var client = OpenAIChatClient.For(host, c.UpstreamModel);
        var options = new ChatCompletionOptions { Tools = { OpenAIChatClient.WeatherTool() } };

        string? reasoning;
        string text;
        List<(string Id, string Name, string Arguments)> calls;
        ChatFinishReason? finish;
        if (stream)
        {
            var data = await OpenAIChatClient.StreamDataAsync(host, OpenAIChatClient.WeatherRequest(c.UpstreamModel, stream: true));
            var deltas = data[..^1].Select(OpenAIChatClient.Parse).Select(d => d.GetProperty("choices")[0]).ToList();
            reasoning = Joined(deltas, "reasoning_content");
            text = Joined(deltas, "content") ?? "";
            var parts = deltas.Select(d => d.GetProperty("delta")).Where(d => d.TryGetProperty("tool_calls", out _)).Select(d => d.GetProperty("tool_calls")[0]).ToList();
            calls = parts.GroupBy(p => p.GetProperty("index").GetInt32()).Select(g => (
                g.First().GetProperty("id").GetString()!,
                g.First().GetProperty("function").GetProperty("name").GetString()!,
                string.Concat(g.Select(p => p.GetProperty("function").GetProperty("arguments").GetString())))).ToList();
            finish = deltas.Single(d => d.GetProperty("finish_reason").ValueKind == JsonValueKind.String).GetProperty("finish_reason").GetString() == "tool_calls"
                ? ChatFinishReason.ToolCalls
                : null;
        }
        else
        {
            var result = await client.CompleteChatAsync([new UserChatMessage("What's the weather in Oslo?")], options);
            using var raw = JsonDocument.Parse(result.GetRawResponse().Content);
            var message = raw.RootElement.GetProperty("choices")[0].GetProperty("message");
            reasoning = message.TryGetProperty("reasoning_content", out var r) ? r.GetString() : null;
            text = string.Concat(result.Value.Content.Select(p => p.Text));
            calls = result.Value.ToolCalls.Select(t => (t.Id, t.FunctionName, t.FunctionArguments.ToString())).ToList();
            finish = result.Value.FinishReason;
        }

        Assert.Equal(c.Thinking, reasoning);
        Assert.Equal(c.Text ?? "", text.Trim());
        Assert.Equal(ChatFinishReason.ToolCalls, finish);
        var call = Assert.Single(calls);
        Assert.StartsWith("call_", call.Id, StringComparison.Ordinal);
        Assert.Equal("get_weather", call.Name);
        Assert.Equal(FamilyCase.City, JsonDocument.Parse(call.Arguments).RootElement.GetProperty("city").GetString());
        Assert.DoesNotContain("<", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reasoning_the_client_sends_back_reaches_the_model_in_the_form_its_family_reads()
    {
        var c = FamilyCase.All["qwen3"];
        await using var host = await SwitchboardHost.StartAsync(new FakeServerOptions { Models = [c.UpstreamModel] }, ["--model", c.UpstreamModel], quickstartModel: false);
        host.Upstream.Enqueue(new ScriptedReply { Content = c.Raw, ChunkSize = 4 });
        host.Upstream.Enqueue(ScriptedReply.Text("It is 4°C in Oslo."));

        using var first = await OpenAIChatClient.PostAsync(host, OpenAIChatClient.WeatherRequest(c.UpstreamModel, stream: false));
        var request = JsonNodeOf(OpenAIChatClient.WeatherRequest(c.UpstreamModel, stream: false));
        var answer = System.Text.Json.Nodes.JsonNode.Parse(await first.Content.ReadAsStringAsync())!["choices"]![0]!["message"]!;
        var messages = request["messages"]!.AsArray();
        messages.Add(answer.DeepClone());
        messages.Add(new System.Text.Json.Nodes.JsonObject
        {
            ["role"] = "tool",
            ["tool_call_id"] = answer["tool_calls"]![0]!["id"]!.GetValue<string>(),
            ["content"] = "4°C, cloudy",
        });
        using var second = await OpenAIChatClient.PostAsync(host, request.ToJsonString());

        Assert.Equal(System.Net.HttpStatusCode.OK, second.StatusCode);
        var assistant = UpstreamBody.Messages(host.Upstream.Requests[1].Body).Single(m => m.GetProperty("role").GetString() == "assistant");
        Assert.Equal(c.Thinking, assistant.GetProperty("reasoning_content").GetString());
        Assert.Equal("get_weather", assistant.GetProperty("tool_calls")[0].GetProperty("function").GetProperty("name").GetString());
    }

    private static System.Text.Json.Nodes.JsonNode JsonNodeOf(string json) => System.Text.Json.Nodes.JsonNode.Parse(json)!;

    private static string? Joined(List<JsonElement> choices, string field)
    {
        var parts = choices.Select(c => c.GetProperty("delta")).Where(d => d.TryGetProperty(field, out _)).Select(d => d.GetProperty(field).GetString()).ToList();
        return parts.Count == 0 ? null : string.Concat(parts);
    }

    private static async Task<(string? Reasoning, string? Content, JsonElement Usage)> WholeAsync(SwitchboardHost host, string body)
    {
        using var response = await OpenAIChatClient.PostAsync(host, body);
        var root = OpenAIChatClient.Parse(await response.Content.ReadAsStringAsync());
        var message = root.GetProperty("choices")[0].GetProperty("message");
        return (message.GetProperty("reasoning_content").GetString(), message.GetProperty("content").GetString(), root.GetProperty("usage"));
    }

    private static async Task<(string? Reasoning, string? Content, JsonElement Usage)> StreamedAsync(SwitchboardHost host, string body)
    {
        var data = await OpenAIChatClient.StreamDataAsync(host, body);
        var chunks = data[..^1].Select(OpenAIChatClient.Parse).ToList();
        var choices = chunks.SelectMany(c => c.GetProperty("choices").EnumerateArray()).ToList();
        return (Joined(choices, "reasoning_content"), Joined(choices, "content"), chunks[^1].GetProperty("usage"));
    }
}
