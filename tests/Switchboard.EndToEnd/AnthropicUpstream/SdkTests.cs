using Anthropic.Models.Messages;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.FakeUpstream;

namespace Switchboard.EndToEnd.AnthropicUpstream;

/// <summary>The official Anthropic C# SDK through the passthrough, whole and streamed.</summary>
public sealed class SdkTests
{
    [Fact]
    public async Task The_sdk_reads_a_relayed_message_with_the_upstreams_thinking_signature()
    {
        await using var host = await AnthropicUpstreamHost.StartAsync();
        host.Upstream.EnqueueMessages(new ScriptedMessagesReply
        {
            Blocks = [ScriptedBlock.Thinking("Hmm.", "EqQBsig-upstream=="), ScriptedBlock.OfText("Hi there.")],
            InputTokens = 9,
            OutputTokens = 4,
        });

        var message = await host.Client.Messages.Create(Sdk.Ask("Hello", model: "claude-sonnet-4-5"));

        Assert.Equal(["thinking", "text"], Sdk.BlockTypes(message));
        Assert.True(message.Content[0].TryPickThinking(out var thinking));
        Assert.Equal("EqQBsig-upstream==", thinking.Signature);
        Assert.Equal("Hi there.", Sdk.TextOf(message));
        Assert.Equal(9, message.Usage.InputTokens);
        Assert.Equal(4, message.Usage.OutputTokens);
    }

    [Fact]
    public async Task The_sdk_streams_a_relayed_tool_call()
    {
        await using var host = await AnthropicUpstreamHost.StartAsync();
        host.Upstream.EnqueueMessages(new ScriptedMessagesReply
        {
            Blocks = [ScriptedBlock.OfText("Checking."), ScriptedBlock.ToolUse("toolu_01X", "get_weather", """{"city":"Oslo"}""")],
            StopReason = "tool_use",
        });
        var request = Sdk.Ask("Weather?", model: "claude-sonnet-4-5") with { Tools = [Sdk.WeatherTool()] };

        var types = new List<string>();
        var json = new System.Text.StringBuilder();
        await foreach (var e in host.Client.Messages.CreateStreaming(request))
        {
            if (e.TryPickContentBlockStart(out var start))
            {
                types.Add(start.ContentBlock.Json.GetProperty("type").GetString()!);
            }
            else if (e.TryPickContentBlockDelta(out var delta) && delta.Delta.TryPickInputJson(out var input))
            {
                json.Append(input.PartialJson);
            }
        }

        Assert.Equal(["text", "tool_use"], types);
        Assert.Equal("""{"city":"Oslo"}""", json.ToString());
        Assert.Equal("get_weather", Assert.Single(host.Upstream.MessagesRequests).Body.GetProperty("tools")[0].GetProperty("name").GetString());
    }
}
