using System.Text.Json;
using OpenAI.Chat;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.FakeUpstream;

namespace Switchboard.EndToEnd.OpenAIChat;

/// <summary>Non-streamed and streamed text through the official OpenAI .NET SDK.</summary>
public sealed class ChatCreateTests
{
    [Fact]
    public async Task A_text_answer_reaches_the_sdk_with_openai_ids_usage_and_finish_reason()
    {
        await using var host = await SwitchboardHost.StartAsync();
        host.Upstream.Enqueue(new ScriptedReply { Content = "Hello there.", Usage = new ScriptedUsage { PromptTokens = 12, CompletionTokens = 3, CachedTokens = 4 } });
        var client = OpenAIChatClient.For(host);
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        var result = await client.CompleteChatAsync([new SystemChatMessage("Be brief."), new UserChatMessage("Hi")]);
        ChatCompletion completion = result.Value;

        Assert.Equal("Hello there.", Assert.Single(completion.Content).Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(ChatMessageRole.Assistant, completion.Role);
        Assert.StartsWith("chatcmpl-", completion.Id, StringComparison.Ordinal);
        Assert.Equal(SwitchboardHost.Model, completion.Model);
        Assert.Equal("fp_switchboard", completion.SystemFingerprint);
        Assert.InRange(completion.CreatedAt, before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal((12, 3, 15, 4), (completion.Usage.InputTokenCount, completion.Usage.OutputTokenCount, completion.Usage.TotalTokenCount, completion.Usage.InputTokenDetails.CachedTokenCount));
        Assert.Equal(0, completion.Usage.OutputTokenDetails.ReasoningTokenCount);

        using var raw = JsonDocument.Parse(result.GetRawResponse().Content);
        var choice = raw.RootElement.GetProperty("choices")[0];
        Assert.Equal("chat.completion", raw.RootElement.GetProperty("object").GetString());
        Assert.Equal(JsonValueKind.Number, raw.RootElement.GetProperty("created").ValueKind);
        Assert.Equal(JsonValueKind.Null, choice.GetProperty("logprobs").ValueKind);
        Assert.Equal(JsonValueKind.Null, choice.GetProperty("message").GetProperty("refusal").ValueKind);
        Assert.Equal("application/json", result.GetRawResponse().Headers.TryGetValue("Content-Type", out var type) ? type : null);
        Assert.True(result.GetRawResponse().Headers.TryGetValue("x-request-id", out var requestId));
        Assert.True(result.GetRawResponse().Headers.TryGetValue("request-id", out var ownId));
        Assert.StartsWith("req_", requestId, StringComparison.Ordinal);
        Assert.Equal(ownId, requestId);
    }

    [Fact]
    public async Task A_budget_hit_is_finish_reason_length()
    {
        await using var host = await SwitchboardHost.StartAsync();
        host.Upstream.Enqueue(new ScriptedReply { Content = "A long", FinishReason = "length" });

        ChatCompletion completion = await OpenAIChatClient.For(host).CompleteChatAsync([new UserChatMessage("Write an essay")], new ChatCompletionOptions { MaxOutputTokenCount = 2 });

        Assert.Equal(ChatFinishReason.Length, completion.FinishReason);
        Assert.Equal("A long", completion.Content[0].Text);
    }

    [Fact]
    public async Task A_streamed_answer_reaches_the_sdk_in_pieces_with_usage_at_the_end()
    {
        await using var host = await SwitchboardHost.StartAsync();
        host.Upstream.Enqueue(new ScriptedReply { Content = "Streaming works fine.", ChunkSize = 4, Usage = new ScriptedUsage { PromptTokens = 20, CompletionTokens = 6 } });

        var updates = new List<StreamingChatCompletionUpdate>();
        await foreach (var update in OpenAIChatClient.For(host).CompleteChatStreamingAsync([new UserChatMessage("Hi")]))
        {
            updates.Add(update);
        }

        Assert.Equal("Streaming works fine.", string.Concat(updates.SelectMany(u => u.ContentUpdate).Select(p => p.Text)));
        Assert.True(updates.Count(u => u.ContentUpdate.Count > 0 && u.ContentUpdate[0].Text.Length > 0) > 1);
        Assert.Equal(ChatMessageRole.Assistant, updates[0].Role);
        Assert.Single(updates, u => u.FinishReason is not null);
        Assert.Equal(ChatFinishReason.Stop, updates.Single(u => u.FinishReason is not null).FinishReason);
        var usage = updates[^1].Usage;
        Assert.NotNull(usage);
        Assert.Equal((20, 6, 26), (usage.InputTokenCount, usage.OutputTokenCount, usage.TotalTokenCount));
        Assert.Single(updates.Select(u => u.CompletionId).Distinct());
        Assert.StartsWith("chatcmpl-", updates[0].CompletionId, StringComparison.Ordinal);
        Assert.All(updates, u => Assert.Equal(SwitchboardHost.Model, u.Model));
    }

    [Fact]
    public async Task The_stream_on_the_wire_is_openai_chunks_then_done()
    {
        await using var host = await SwitchboardHost.StartAsync();
        host.Upstream.Enqueue(new ScriptedReply { Content = "Hi!", ChunkSize = 2 });

        var data = await OpenAIChatClient.StreamDataAsync(host, """{"model":"fake-model","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Hi"}]}""");

        Assert.Equal("[DONE]", data[^1]);
        var chunks = data[..^1].Select(OpenAIChatClient.Parse).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.Single(chunks.Select(c => (c.GetProperty("id").GetString(), c.GetProperty("created").GetInt64())).Distinct());
        Assert.Equal("""{"role":"assistant","content":""}""", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetRawText());
        Assert.Equal("Hi!", string.Concat(chunks.Skip(1).SelectMany(c => c.GetProperty("choices").EnumerateArray())
            .Select(c => c.GetProperty("delta").TryGetProperty("content", out var t) ? t.GetString() : "")));
        Assert.Equal(0, chunks[^1].GetProperty("choices").GetArrayLength());
        Assert.Equal(JsonValueKind.Object, chunks[^1].GetProperty("usage").ValueKind);
        Assert.All(chunks[..^1], c => Assert.Equal(JsonValueKind.Null, c.GetProperty("usage").ValueKind));
    }

    [Fact]
    public async Task Without_include_usage_the_stream_has_no_usage_chunk()
    {
        await using var host = await SwitchboardHost.StartAsync();
        host.Upstream.Enqueue(new ScriptedReply { Content = "Hi!", ChunkSize = 2 });

        var data = await OpenAIChatClient.StreamDataAsync(host, """{"model":"fake-model","stream":true,"messages":[{"role":"user","content":"Hi"}]}""");

        var chunks = data[..^1].Select(OpenAIChatClient.Parse).ToList();
        Assert.All(chunks, c => Assert.False(c.TryGetProperty("usage", out _)));
        Assert.Equal("stop", chunks[^1].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task Structured_output_is_passed_to_the_model_server_and_its_json_comes_back_as_content()
    {
        await using var host = await SwitchboardHost.StartAsync();
        host.Upstream.Enqueue(ScriptedReply.Text("""{"city":"Oslo","celsius":4}"""));
        var schema = """{"type":"object","properties":{"city":{"type":"string"},"celsius":{"type":"number"}},"required":["city","celsius"],"additionalProperties":false}""";

        ChatCompletion completion = await OpenAIChatClient.For(host).CompleteChatAsync(
            [new UserChatMessage("Weather in Oslo as JSON")],
            new ChatCompletionOptions { ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("weather", BinaryData.FromString(schema), jsonSchemaIsStrict: true) });

        Assert.Equal(4, JsonDocument.Parse(completion.Content[0].Text).RootElement.GetProperty("celsius").GetInt32());
        var format = host.Upstream.Requests[0].Body.GetProperty("response_format");
        Assert.Equal("json_schema", format.GetProperty("type").GetString());
        Assert.Equal("weather", format.GetProperty("json_schema").GetProperty("name").GetString());
        Assert.Equal(JsonDocument.Parse(schema).RootElement.GetRawText(), format.GetProperty("json_schema").GetProperty("schema").GetRawText());
    }

    [Fact]
    public async Task Usage_can_be_sent_at_the_end_of_every_stream_by_configuration()
    {
        await using var host = await SwitchboardHost.StartAsync(args: ["--Switchboard:ChatCompletions:AlwaysIncludeUsage=true"]);
        host.Upstream.Enqueue(new ScriptedReply { Content = "Hi!", Usage = new ScriptedUsage { PromptTokens = 9, CompletionTokens = 2 } });

        var data = await OpenAIChatClient.StreamDataAsync(host, """{"model":"fake-model","stream":true,"messages":[{"role":"user","content":"Hi"}]}""");

        var last = OpenAIChatClient.Parse(data[^2]);
        Assert.Equal(0, last.GetProperty("choices").GetArrayLength());
        Assert.Equal(11, last.GetProperty("usage").GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task A_long_prefill_is_held_open_with_sse_comments()
    {
        await using var host = await SwitchboardHost.StartAsync(args: ["--Switchboard:Streaming:PingIntervalSeconds=0.1"]);
        host.Upstream.Enqueue(new ScriptedReply { Content = "Done.", FirstTokenDelayMs = 1200 });

        using var response = await OpenAIChatClient.PostAsync(host, """{"model":"fake-model","stream":true,"messages":[{"role":"user","content":"Hi"}]}""");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Contains("\n\n: ping\n\n", body, StringComparison.Ordinal);
        Assert.DoesNotContain("event:", body, StringComparison.Ordinal);
        Assert.EndsWith("data: [DONE]\n\n", body, StringComparison.Ordinal);
    }
}
