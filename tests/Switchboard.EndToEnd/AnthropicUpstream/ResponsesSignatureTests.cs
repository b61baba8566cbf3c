using System.Net;
using System.Text.Json;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.EndToEnd.OpenAIResponses;
using Switchboard.FakeUpstream;

namespace Switchboard.EndToEnd.AnthropicUpstream;

/// <summary>
/// A Responses client in front of an Anthropic-compatible upstream keeps the upstream's thinking signature: it is
/// sealed into the reasoning item's <c>encrypted_content</c>, and when the client replays the items the thinking
/// goes back to that upstream with its own signature, and to an OpenAI-compatible model not at all.
/// </summary>
public sealed class ResponsesSignatureTests
{
    private const string Signature = "EqQBCkYIBxgCKkDupstream-signature==";
    private const string Thinking = "The user wants Oslo's weather: call the tool.";

    private static ScriptedMessagesReply ToolTurn() => new()
    {
        Blocks =
        [
            ScriptedBlock.Thinking(Thinking, Signature),
            ScriptedBlock.ToolUse("toolu_01A", "get_weather", """{"city":"Oslo"}"""),
        ],
        StopReason = "tool_use",
    };

    private static string FirstTurn(bool stream) => """
        {"model":"fake-model","stream":STREAM,"store":false,"include":["reasoning.encrypted_content"],
         "reasoning":{"effort":"medium"},
         "tools":[{"type":"function","name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}],
         "input":[{"role":"user","content":"Weather in Oslo?"}]}
        """.Replace("STREAM", stream ? "true" : "false", StringComparison.Ordinal);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_upstreams_signature_survives_a_replay_of_the_output_items(bool stream)
    {
        await using var host = await AnthropicUpstreamHost.StartAsync();
        host.Upstream.EnqueueMessages(ToolTurn(), ScriptedMessagesReply.Text("Sunny."));

        var output = await FirstOutputAsync(host, stream);
        var reasoning = output.Single(i => i.GetProperty("type").GetString() == "reasoning");
        var blob = reasoning.GetProperty("encrypted_content").GetString()!;
        Assert.DoesNotContain(Signature, blob, StringComparison.Ordinal);

        using var second = await ResponsesSdk.PostAsync(host, SecondTurn(output, "fake-model"));
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);

        var sent = host.Upstream.MessagesRequests[1].Body.GetProperty("messages");
        var assistant = sent[1];
        Assert.Equal("assistant", assistant.GetProperty("role").GetString());
        var thinking = assistant.GetProperty("content")[0];
        Assert.Equal("thinking", thinking.GetProperty("type").GetString());
        Assert.Equal(Thinking, thinking.GetProperty("thinking").GetString());
        Assert.Equal(Signature, thinking.GetProperty("signature").GetString());
        Assert.Equal("tool_use", assistant.GetProperty("content")[1].GetProperty("type").GetString());
    }

    [Fact]
    public async Task An_upstream_signed_reasoning_item_is_not_sent_to_an_openai_compatible_model()
    {
        await using var chat = await FakeModelServer.StartAsync(new FakeServerOptions { Models = ["chat-model"] });
        await using var host = await AnthropicUpstreamHost.StartAsync(null,
            $"--Switchboard:Upstreams:chat:BaseUrl={chat.BaseUrl}", "--Switchboard:Models:1:Name=chat-model", "--Switchboard:Models:1:Upstream=chat");
        host.Upstream.EnqueueMessages(ToolTurn());

        var output = await FirstOutputAsync(host, stream: false);
        using var second = await ResponsesSdk.PostAsync(host, SecondTurn(output, "chat-model"));

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var sent = Assert.Single(chat.Requests).Body.GetRawText();
        Assert.DoesNotContain(Signature, sent, StringComparison.Ordinal);
        Assert.DoesNotContain(Thinking, sent, StringComparison.Ordinal);
        Assert.Contains("get_weather", sent, StringComparison.Ordinal);
    }

    private static async Task<List<JsonElement>> FirstOutputAsync(SwitchboardHost host, bool stream)
    {
        if (stream)
        {
            var events = await ResponsesSdk.StreamAsync(host, FirstTurn(stream: true));
            return [.. events.Single(e => e.Name == "response.completed").Data.GetProperty("response").GetProperty("output").EnumerateArray()];
        }

        using var response = await ResponsesSdk.PostAsync(host, FirstTurn(stream: false));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. ResponsesSdk.Parse(await response.Content.ReadAsStringAsync()).GetProperty("output").EnumerateArray()];
    }

    /// <summary>The client's next turn, as Codex sends it: the first turn's items replayed, then the tool's output.</summary>
    private static string SecondTurn(List<JsonElement> output, string model)
    {
        var call = output.Single(i => i.GetProperty("type").GetString() == "function_call");
        var input = new List<object> { new Dictionary<string, string> { ["role"] = "user", ["content"] = "Weather in Oslo?" } };
        input.AddRange(output.Cast<object>());
        input.Add(new Dictionary<string, string> { ["type"] = "function_call_output", ["call_id"] = call.GetProperty("call_id").GetString()!, ["output"] = "Sunny, 21 C" });
        return JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["model"] = model,
            ["store"] = false,
            ["include"] = new[] { "reasoning.encrypted_content" },
            ["input"] = input,
            ["tools"] = new[] { new { type = "function", name = "get_weather", parameters = new { type = "object" } } },
        });
    }
}
