using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Switchboard.Egress.OpenAIChat;
using Switchboard.Egress.OpenAIChat.Profiles;
using Switchboard.Pipeline;
using Switchboard.Tests.Egress.OpenAIChat;

namespace Switchboard.Tests.Egress.OpenAIChat.Profiles.Golden;

/// <summary>
/// An Anthropic history with thinking and tool blocks becomes each family's upstream request: thinking in the form
/// the family reads back (a reasoning field, inline tags, or not at all), foreign thinking left out, and the thinking
/// controls the family understands.
/// </summary>
public sealed class ProfileHistoryTests
{
    public static TheoryData<string> Names => [.. ProfileHistoryCase.All.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void History_becomes_the_familys_request(string name)
    {
        var c = ProfileHistoryCase.All[name];
        var read = HistoryConversation.Request(c.Thinking, c.Effort);
        var request = read with { Messages = ThinkingReplay.KeepOwn(read.Messages, StreamRun.Key, out var dropped) };
        var route = TestRoutes.Route() with { Profile = ProfileCatalog.Find(c.Profile)! };
        var body = new ArrayBufferWriter<byte>();

        ChatRequestWriter.Write(body, request, route, stream: false);

        Assert.Equal(1, dropped);
        Assert.Equal(Compact(c.ExpectedJson), Compact(Encoding.UTF8.GetString(body.WrittenSpan), without: "tools"));
    }

    private static string Compact(string json, string? without = null)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        if (without is not null)
        {
            Assert.True(node.Remove(without), $"the body has {without}");
        }

        return node.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}
