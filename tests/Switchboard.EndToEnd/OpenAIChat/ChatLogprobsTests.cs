using System.Text.Json;
using OpenAI.Chat;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.FakeUpstream;

namespace Switchboard.EndToEnd.OpenAIChat;

/// <summary>
/// <c>logprobs</c> + <c>top_logprobs</c> reach the upstream, and the upstream's <c>logprobs.content</c> entries reach
/// the client unchanged and in order, whole and streamed (raw HTTP: the wire is what is under test).
/// </summary>
public sealed class ChatLogprobsTests
{
    private const string Content = "Hello logprobs!";

    private static string Request(bool stream, bool logprobs = true) =>
        $$"""{"model":"{{SwitchboardHost.Model}}","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"Hi"}]{{(logprobs ? ",\"logprobs\":true,\"top_logprobs\":2" : "")}}}""";

    /// <summary>The entries the fake sent: one token per 4 characters, logprob −0.25·(i+1), two alternatives.</summary>
    private static void AssertEntries(IReadOnlyList<JsonElement> entries)
    {
        var tokens = new[] { "Hell", "o lo", "gpro", "bs!" };
        Assert.Equal(tokens, entries.Select(e => e.GetProperty("token").GetString()));
        for (var i = 0; i < entries.Count; i++)
        {
            Assert.Equal(-0.25 * (i + 1), entries[i].GetProperty("logprob").GetDouble());
            Assert.Equal(System.Text.Encoding.UTF8.GetBytes(tokens[i]), entries[i].GetProperty("bytes").EnumerateArray().Select(b => (byte)b.GetInt32()));
            var top = entries[i].GetProperty("top_logprobs");
            Assert.Equal([tokens[i], tokens[i] + "1"], top.EnumerateArray().Select(t => t.GetProperty("token").GetString()));
            Assert.Equal(-0.25 * (i + 1) - 1, top[1].GetProperty("logprob").GetDouble());
        }
    }

    [Fact]
    public async Task A_whole_answer_carries_the_upstreams_entries()
    {
        await using var host = await SwitchboardHost.StartAsync();
        host.Upstream.Enqueue(new ScriptedReply { Content = Content, ChunkSize = 4, Logprobs = true });

        using var response = await OpenAIChatClient.PostAsync(host, Request(stream: false));

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var sent = host.Upstream.Requests[0].Body;
        Assert.True(sent.GetProperty("logprobs").GetBoolean());
        Assert.Equal(2, sent.GetProperty("top_logprobs").GetInt32());
        var choice = OpenAIChatClient.Parse(await response.Content.ReadAsStringAsync()).GetProperty("choices")[0];
        Assert.Equal(Content, choice.GetProperty("message").GetProperty("content").GetString());
        var logprobs = choice.GetProperty("logprobs");
        Assert.Equal(JsonValueKind.Null, logprobs.GetProperty("refusal").ValueKind);
        AssertEntries([.. logprobs.GetProperty("content").EnumerateArray()]);
    }

    [Fact]
    public async Task A_streamed_answer_carries_each_chunks_entries_with_its_text()
    {
        await using var host = await SwitchboardHost.StartAsync();
        host.Upstream.Enqueue(new ScriptedReply { Content = Content, ChunkSize = 4, Logprobs = true });

        var chunks = (await OpenAIChatClient.StreamDataAsync(host, Request(stream: true)))[..^1].Select(OpenAIChatClient.Parse).ToList();

        var entries = new List<JsonElement>();
        foreach (var choice in chunks.Select(c => c.GetProperty("choices")[0]))
        {
            var logprobs = choice.GetProperty("logprobs");
            if (logprobs.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            // A plain answer lines up: each token's entry rides with that token's text.
            var own = logprobs.GetProperty("content").EnumerateArray().ToList();
            Assert.Equal(choice.GetProperty("delta").GetProperty("content").GetString(), string.Concat(own.Select(e => e.GetProperty("token").GetString())));
            entries.AddRange(own);
        }

        AssertEntries(entries);
    }

    [Fact]
    public async Task The_sdk_reads_the_entries_whole_and_streamed()
    {
        await using var host = await SwitchboardHost.StartAsync();
        host.Upstream.Enqueue(new ScriptedReply { Content = Content, ChunkSize = 4, Logprobs = true });
        host.Upstream.Enqueue(new ScriptedReply { Content = Content, ChunkSize = 4, Logprobs = true });
        var client = OpenAIChatClient.For(host);
        var options = new ChatCompletionOptions { IncludeLogProbabilities = true, TopLogProbabilityCount = 2 };

        ChatCompletion completion = await client.CompleteChatAsync([new UserChatMessage("Hi")], options);
        var streamed = new List<ChatTokenLogProbabilityDetails>();
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("Hi")], options))
        {
            streamed.AddRange(update.ContentTokenLogProbabilities);
        }

        foreach (var entries in new[] { completion.ContentTokenLogProbabilities, streamed })
        {
            Assert.Equal(["Hell", "o lo", "gpro", "bs!"], entries.Select(e => e.Token));
            Assert.Equal([-0.25f, -0.5f, -0.75f, -1f], entries.Select(e => e.LogProbability));
            Assert.All(entries, e => Assert.Equal(2, e.TopLogProbabilities.Count));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Without_logprobs_asked_there_are_none(bool stream)
    {
        await using var host = await SwitchboardHost.StartAsync();
        host.Upstream.Enqueue(new ScriptedReply { Content = Content, ChunkSize = 4, Logprobs = true });

        using var response = await OpenAIChatClient.PostAsync(host, Request(stream, logprobs: false));

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.False(host.Upstream.Requests[0].Body.TryGetProperty("logprobs", out _));
        var bodies = stream ? OpenAIChatClient.DataLines(await response.Content.ReadAsStringAsync())[..^1] : [await response.Content.ReadAsStringAsync()];
        Assert.NotEmpty(bodies);
        Assert.All(bodies, b => Assert.Equal(JsonValueKind.Null, OpenAIChatClient.Parse(b).GetProperty("choices")[0].GetProperty("logprobs").ValueKind));
    }
}
