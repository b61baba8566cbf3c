using System.Net;
using System.Text.Json;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.FakeUpstream;

namespace Switchboard.EndToEnd.Pools;

/// <summary>
/// A pool mixing an Anthropic-compatible target (whose answers the Messages door relays) and an OpenAI-compatible one
/// (whose answers it translates): when failover moves a request from one kind to the other, the Messages client
/// still gets a well-formed answer from the target that served it, streamed or whole.
/// </summary>
public sealed class MixedPoolTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_anthropic_target_that_is_overloaded_fails_over_to_an_openai_target(bool stream)
    {
        await using var host = await PoolHost.StartAsync(2, priorities: [0, 1], args: ["--Switchboard:Upstreams:r0:Api=anthropic"]);
        host.Replicas[0].EnqueueMessages(ScriptedMessagesReply.Fail(529, "overloaded_error", "Overloaded"));
        host.Replicas[1].Enqueue(ScriptedReply.Text("Answer from the chat replica."));

        var (text, stop) = await AskAsync(host, "mixed-a", stream);

        Assert.Equal("Answer from the chat replica.", text);
        Assert.Equal("end_turn", stop);
        Assert.Single(host.Replicas[0].MessagesRequests);
        Assert.Single(host.Replicas[1].Requests);
        Assert.Contains(host.Logs.Lines, l => l.Message.Contains(" upstream=r1 attempts=2 ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_openai_target_that_fails_over_to_an_anthropic_target_has_its_answer_relayed(bool stream)
    {
        await using var host = await PoolHost.StartAsync(2, priorities: [0, 1], args: ["--Switchboard:Upstreams:r1:Api=anthropic"]);
        host.Replicas[0].Enqueue(new ScriptedReply { Error = new ScriptedError { Status = 503, Body = """{"error":{"message":"Service Unavailable","type":"server_error"}}""" } });
        host.Replicas[1].EnqueueMessages(new ScriptedMessagesReply { Id = "msg_fromAnthropicTarget", Blocks = [ScriptedBlock.OfText("Answer from the messages replica.")] });

        var (text, stop) = await AskAsync(host, "mixed-b", stream);

        Assert.Equal("Answer from the messages replica.", text);
        Assert.Equal("end_turn", stop);
        Assert.Single(host.Replicas[0].Requests);
        var sent = Assert.Single(host.Replicas[1].MessagesRequests).Body;
        Assert.Equal(PoolHost.Model, sent.GetProperty("model").GetString());
        Assert.Contains(host.Logs.Lines, l => l.Message.Contains(" upstream=r1 attempts=2 ", StringComparison.Ordinal));
    }

    /// <summary>The answer's text and stop reason, read the way a Messages client reads them (a stream must be complete and well-formed).</summary>
    private static async Task<(string Text, string? Stop)> AskAsync(PoolHost host, string marker, bool stream)
    {
        using var response = await host.Http.PostAsync("/v1/messages", RawRequests.Json(PoolHost.Body(marker, stream)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        if (!stream)
        {
            var message = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("message", message.GetProperty("type").GetString());
            return (string.Concat(message.GetProperty("content").EnumerateArray().Select(b => b.GetProperty("text").GetString())),
                message.GetProperty("stop_reason").GetString());
        }

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var names = new List<string>();
        var text = "";
        string? stop = null;
        await foreach (var e in SseEvent.ReadAllAsync(await response.Content.ReadAsStreamAsync()))
        {
            names.Add(e.Name!);
            var data = e.Json;
            Assert.Equal(e.Name, data.GetProperty("type").GetString());
            if (e.Name == "content_block_delta" && data.GetProperty("delta").GetProperty("type").GetString() == "text_delta")
            {
                text += data.GetProperty("delta").GetProperty("text").GetString();
            }
            else if (e.Name == "message_delta")
            {
                stop = data.GetProperty("delta").GetProperty("stop_reason").GetString();
            }
        }

        Assert.Equal("message_start", names[0]);
        Assert.Equal("message_stop", names[^1]);
        Assert.DoesNotContain("error", names);
        Assert.Single(names, n => n == "message_start");
        return (text, stop);
    }
}
