using System.Text.Json;
using OpenAI.Responses;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.FakeUpstream;

#pragma warning disable OPENAI001

namespace Switchboard.EndToEnd.OpenAIResponses;

/// <summary>Text answers, whole and streamed, through the official OpenAI .NET SDK's Responses client.</summary>
public sealed class ResponsesCreateTests
{
    [Fact]
    public async Task A_text_answer_reaches_the_sdk_as_a_response_with_a_message_item_and_usage()
    {
        await using var host = await SwitchboardHost.StartAsync();
        host.Upstream.Enqueue(new ScriptedReply { Content = "Hello there.", Usage = new ScriptedUsage { PromptTokens = 12, CompletionTokens = 3, CachedTokens = 4 } });
        var client = ResponsesSdk.For(host);

        var result = await client.CreateResponseAsync(new CreateResponseOptions(SwitchboardHost.Model, [ResponseItem.CreateUserMessageItem("Hi")])
        {
            Instructions = "Be brief.",
            Temperature = 0.5f,
            Metadata = { ["trace"] = "t1" },
        });
        ResponseResult response = result.Value;

        Assert.Equal("Hello there.", response.GetOutputText());
        Assert.StartsWith("resp_", response.Id, StringComparison.Ordinal);
        Assert.Equal(ResponseStatus.Completed, response.Status);
        Assert.Equal(SwitchboardHost.Model, response.Model);
        var message = Assert.IsAssignableFrom<MessageResponseItem>(Assert.Single(response.OutputItems));
        Assert.StartsWith("msg_", message.Id, StringComparison.Ordinal);
        Assert.Equal((12, 3, 15, 4), (response.Usage.InputTokenCount, response.Usage.OutputTokenCount, response.Usage.TotalTokenCount, response.Usage.InputTokenDetails.CachedTokenCount));
        Assert.Equal(0.5f, response.Temperature);
        Assert.Equal("t1", response.Metadata["trace"]);

        var upstream = Assert.Single(host.Upstream.Requests).Body;
        Assert.Equal("system", upstream.GetProperty("messages")[0].GetProperty("role").GetString());
        Assert.Equal("Be brief.", upstream.GetProperty("messages")[0].GetProperty("content").GetString());
        Assert.Equal("Hi", upstream.GetProperty("messages")[1].GetProperty("content").GetString());

        using var raw = JsonDocument.Parse(result.GetRawResponse().Content);
        Assert.Equal("response", raw.RootElement.GetProperty("object").GetString());
        Assert.Equal("Be brief.", raw.RootElement.GetProperty("instructions").GetString());
        Assert.Equal("Hello there.", raw.RootElement.GetProperty("output_text").GetString());
    }

    [Fact]
    public async Task A_string_input_is_one_user_message()
    {
        await using var host = await SwitchboardHost.StartAsync();
        host.Upstream.Enqueue(ScriptedReply.Text("Hi."));

        var response = ResponsesSdk.Parse(await (await ResponsesSdk.PostAsync(host, """{"model":"fake-model","input":"Say hi"}""")).Content.ReadAsStringAsync());

        Assert.Equal("Hi.", response.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString());
        var messages = Assert.Single(host.Upstream.Requests).Body.GetProperty("messages");
        Assert.Equal("user", messages[0].GetProperty("role").GetString());
        Assert.Equal("Say hi", messages[0].GetProperty("content").GetString());
    }

    [Fact]
    public async Task A_streamed_answer_reaches_the_sdk_in_pieces_and_completes_with_the_whole_response()
    {
        await using var host = await SwitchboardHost.StartAsync();
        host.Upstream.Enqueue(new ScriptedReply { Content = "Streaming works fine.", ChunkSize = 4, Usage = new ScriptedUsage { PromptTokens = 20, CompletionTokens = 6 } });

        var updates = new List<StreamingResponseUpdate>();
        await foreach (var update in await ResponsesSdk.For(host).CreateResponseStreamingAsync(SwitchboardHost.Model, "Hi"))
        {
            updates.Add(update);
        }

        Assert.IsType<StreamingResponseCreatedUpdate>(updates[0]);
        Assert.IsType<StreamingResponseInProgressUpdate>(updates[1]);
        var deltas = updates.OfType<StreamingResponseOutputTextDeltaUpdate>().Select(d => d.Delta).ToList();
        Assert.True(deltas.Count > 1);
        Assert.Equal("Streaming works fine.", string.Concat(deltas));
        var completed = Assert.IsType<StreamingResponseCompletedUpdate>(updates[^1]);
        Assert.Equal("Streaming works fine.", completed.Response.GetOutputText());
        Assert.Equal((20, 6, 26), (completed.Response.Usage.InputTokenCount, completed.Response.Usage.OutputTokenCount, completed.Response.Usage.TotalTokenCount));
        Assert.Equal(Enumerable.Range(0, updates.Count), updates.Select(u => u.SequenceNumber));
        var done = Assert.Single(updates.OfType<StreamingResponseOutputItemDoneUpdate>());
        Assert.Equal("Streaming works fine.", Assert.IsAssignableFrom<MessageResponseItem>(done.Item).Content[0].Text);
    }

    /// <summary>Codex's idle timer is reset only by events, not by comment lines: a long prefill is held open with keepalive events.</summary>
    [Fact]
    public async Task A_long_prefill_is_held_open_with_keepalive_events_that_count_in_the_sequence()
    {
        await using var host = await SwitchboardHost.StartAsync(args: ["--Switchboard:Streaming:PingIntervalSeconds=0.1"]);
        host.Upstream.Enqueue(new ScriptedReply { Content = "Done.", FirstTokenDelayMs = 1200 });

        using var response = await ResponsesSdk.PostAsync(host, """{"model":"fake-model","stream":true,"input":"Hi"}""");
        var body = await response.Content.ReadAsStringAsync();
        var events = ResponsesSdk.Events(body);

        Assert.DoesNotContain("\n: ", body, StringComparison.Ordinal);
        var keepalives = events.Where(e => e.Name == "keepalive").ToList();
        Assert.True(keepalives.Count >= 3, $"{keepalives.Count} keepalive events");
        Assert.All(keepalives, e => Assert.Equal("keepalive", e.Data.GetProperty("type").GetString()));
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.Data.GetProperty("sequence_number").GetInt32()));
        Assert.Equal("response.completed", events[^1].Name);
    }
}
