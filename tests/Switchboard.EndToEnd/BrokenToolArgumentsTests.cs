using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.FakeUpstream;

namespace Switchboard.EndToEnd;

/// <summary>Tool-call arguments the model broke still reach the client as the same JSON object, streamed or not.</summary>
public sealed class BrokenToolArgumentsTests
{
    private const string Body =
        """{"model":"fake-model","max_tokens":64,"stream":STREAM,"messages":[{"role":"user","content":"Weather?"}],"tools":[{"name":"get_weather","input_schema":{"type":"object","properties":{"location":{"type":"string"}}}}]}""";

    [Theory]
    [InlineData("""{"location": "Par""", """{"location": "Par"}""")]
    [InlineData("""{"location": "Paris", "days": [1, 2""", """{"location": "Paris", "days": [1, 2]}""")]
    [InlineData("""{"location": "Paris", "unit""", """{"location": "Paris"}""")]
    [InlineData("""location=Paris""", """{"_raw":"location=Paris"}""")]
    public async Task Streamed_and_not_the_client_gets_the_same_valid_json_and_the_repair_is_logged(string upstreamArguments, string expected)
    {
        var logs = new CapturedLogs();
        await using var host = await SwitchboardHost.StartAsync(
            configure: builder => builder.Services.AddSingleton<ILoggerProvider>(logs));
        foreach (var _ in new[] { false, true })
        {
            host.Upstream.Enqueue(new ScriptedReply
            {
                ToolCalls = [new ScriptedToolCall { Name = "get_weather", Arguments = upstreamArguments }],
                ChunkSize = 3,
            });
        }

        var whole = await NonStreamedInputAsync(host);
        var streamed = await StreamedInputAsync(host);

        Assert.Equal(expected, streamed);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(whole)), whole);
        var warnings = logs.Lines.Where(l => l.Level == LogLevel.Warning && l.Message.Contains("tool-call arguments", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.All(warnings, w => Assert.Contains("default", w.Message, StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Message.Contains("Par", StringComparison.Ordinal));
    }

    private static async Task<string> NonStreamedInputAsync(SwitchboardHost host)
    {
        using var response = await host.Http.SendAsync(RawRequests.Post("/v1/messages", Body.Replace("STREAM", "false", StringComparison.Ordinal)));
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var block = Assert.Single(document.RootElement.GetProperty("content").EnumerateArray());
        Assert.Equal("tool_use", block.GetProperty("type").GetString());
        return block.GetProperty("input").GetRawText();
    }

    /// <summary>The concatenated <c>partial_json</c> of the stream's one tool block, as a client builds its input.</summary>
    private static async Task<string> StreamedInputAsync(SwitchboardHost host)
    {
        using var response = await host.Http.SendAsync(RawRequests.Post("/v1/messages", Body.Replace("STREAM", "true", StringComparison.Ordinal)));
        response.EnsureSuccessStatusCode();
        var text = await response.Content.ReadAsStringAsync();
        var input = new System.Text.StringBuilder();
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal))
            {
                continue;
            }

            using var data = JsonDocument.Parse(line["data: ".Length..]);
            if (data.RootElement.GetProperty("type").GetString() == "content_block_delta"
                && data.RootElement.GetProperty("delta") is var delta
                && delta.GetProperty("type").GetString() == "input_json_delta")
            {
                input.Append(delta.GetProperty("partial_json").GetString());
            }
        }

        return input.ToString();
    }
}
