using System.Buffers;
using System.Text;
using System.Text.Json;
using Switchboard.Canonical;
using Switchboard.Ingress.OpenAIChat;

namespace Switchboard.Tests.Ingress.OpenAIChat;

/// <summary>The upstream's log probability entries go out as <c>choices[0].logprobs</c>, whole and streamed.</summary>
public sealed class ChatLogprobsWritingTests
{
    private const string A = """{"token":"A","logprob":-0.5,"bytes":[65],"top_logprobs":[]}""";
    private const string B = """{"token":"B","logprob":-1,"bytes":[66],"top_logprobs":[{"token":"B","logprob":-1,"bytes":[66]}]}""";
    private const string C = """{"token":"<think>","logprob":-0.01,"bytes":null,"top_logprobs":[]}""";

    private static JsonElement Entries(params string[] entries) => JsonDocument.Parse("[" + string.Join(',', entries) + "]").RootElement.Clone();

    [Fact]
    public void A_whole_answer_carries_the_entries_in_order()
    {
        var message = new MessageResponse
        {
            Id = "msg_abc",
            Model = "my-model",
            Content = [new TextBlock("AB")],
            StopReason = StopReason.EndTurn,
            Usage = new Usage(1, 2, 0, 0),
            Logprobs = [.. Entries(A, B).EnumerateArray()],
        };
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            ChatCompletionWriter.Write(w, message, 1_700_000_000, alsoSendReasoning: false);
        }

        var choice = JsonDocument.Parse(buffer.WrittenMemory).RootElement.GetProperty("choices")[0];
        Assert.Equal($$"""{"content":[{{A}},{{B}}],"refusal":null}""", choice.GetProperty("logprobs").GetRawText());
    }

    [Fact]
    public void Streamed_entries_ride_on_the_next_content_chunk_or_else_the_finish_chunk()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new ChatChunkWriter(buffer, 1_700_000_000, includeUsage: false, alsoSendReasoning: false);
        writer.OnMessageStart("msg_abc", "my-model", default);
        writer.OnLogprobs(Entries(C));             // held-back markup: no text of its own
        writer.OnBlockStart(0, BlockKind.Thinking, null, null);
        writer.OnDelta(0, DeltaKind.Thinking, "t");
        writer.OnBlockStop(0);
        writer.OnLogprobs(Entries(A));
        writer.OnBlockStart(1, BlockKind.Text, null, null);
        writer.OnDelta(1, DeltaKind.Text, "A");
        writer.OnDelta(1, DeltaKind.Text, "!");
        writer.OnLogprobs(Entries(B));
        writer.OnLogprobs(Entries());
        writer.OnBlockStop(1);
        writer.OnMessageDelta(StopReason.EndTurn, null, default);
        writer.OnMessageStop();

        var logprobs = Encoding.UTF8.GetString(buffer.WrittenSpan)
            .Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(e => e["data: ".Length..])
            .Where(d => d != "[DONE]")
            .Select(d => JsonDocument.Parse(d).RootElement.GetProperty("choices")[0].GetProperty("logprobs").GetRawText())
            .ToList();
        Assert.Equal(
        [
            "null", // role
            "null", // reasoning
            $$"""{"content":[{{C}},{{A}}],"refusal":null}""",
            "null",
            $$"""{"content":[{{B}}],"refusal":null}""", // finish
        ],
            logprobs);
    }
}
