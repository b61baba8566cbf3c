using System.Text;
using System.Text.Json;
using Switchboard.Canonical;
using Switchboard.Egress.OpenAIChat;
using Switchboard.Egress.OpenAIChat.Profiles;

namespace Switchboard.Tests.Egress.OpenAIChat;

/// <summary>The upstream's <c>choices[0].logprobs.content</c> entries reach a sink that takes them, as sent and in order.</summary>
public sealed class ChatLogprobsReadingTests
{
    private const string He = """{"token":"He","logprob":-0.5,"bytes":[72,101],"top_logprobs":[{"token":"He","logprob":-0.5,"bytes":[72,101]}]}""";
    private const string Llo = """{"token":"llo","logprob":-1.25e-3,"bytes":[108,108,111],"top_logprobs":[]}""";
    private const string Think = """{"token":"hm","logprob":-2,"bytes":[104,109],"top_logprobs":[]}""";

    private static string Chunk(string delta, string logprobs, string finish = "null") =>
        $$"""data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{{delta}},"logprobs":{{logprobs}},"finish_reason":{{finish}}}]}""" + "\n\n";

    [Fact]
    public async Task Streamed_entries_come_chunk_by_chunk_before_that_chunks_text()
    {
        var sse = Chunk("""{"role":"assistant","content":""}""", "null")
            + Chunk("""{"reasoning_content":"hm"}""", $$"""{"content":[{{Think}}]}""")
            + Chunk("""{"content":"He"}""", $$"""{"content":[{{He}}],"refusal":null}""")
            + Chunk("""{"content":"llo"}""", $$"""{"refusal":null,"content":[{{Llo}}]}""")
            + Chunk("""{"content":"!"}""", """{"content":null}""")
            + Chunk("{}", "null", "\"stop\"")
            + "data: [DONE]\n\n";
        var sink = new LogprobsLog();
        var assembler = new StreamAssembler(sink);
        assembler.Start("msg_1", "m", default);

        await ChatStreamReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(sse)), assembler, new PlainContentParser(), [], CancellationToken.None);
        assembler.Complete();

        Assert.Equal(
            [$"logprobs [{Think}]", "Thinking hm", $"logprobs [{He}]", "Text He", $"logprobs [{Llo}]", "Text llo", "Text !"],
            sink.Events);
    }

    [Fact]
    public void A_whole_completions_entries_reach_the_response()
    {
        var json = $$"""{"id":"c","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"Hello"},"logprobs":{"content":[{{He}},{{Llo}}],"refusal":null},"finish_reason":"stop"}]}""";
        var accumulator = new MessageAccumulator();
        var assembler = new StreamAssembler(accumulator);
        assembler.Start("msg_1", "m", default);

        ChatResponseReader.Read(Encoding.UTF8.GetBytes(json), assembler, new PlainContentParser(), []);
        assembler.Complete();

        var response = accumulator.ToResponse();
        Assert.Equal([He, Llo], response.Logprobs!.Select(e => e.GetRawText()));
        Assert.Equal("Hello", Assert.IsType<TextBlock>(Assert.Single(response.Content)).Text);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("""{"content":null}""")]
    [InlineData("""{"content":"not entries"}""")]
    public void Without_entries_the_response_has_none(string logprobs)
    {
        var json = $$"""{"choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"logprobs":{{logprobs}},"finish_reason":"stop"}]}""";
        var accumulator = new MessageAccumulator();
        var assembler = new StreamAssembler(accumulator);
        assembler.Start("msg_1", "m", default);

        ChatResponseReader.Read(Encoding.UTF8.GetBytes(json), assembler, new PlainContentParser(), []);
        assembler.Complete();

        Assert.Null(accumulator.ToResponse().Logprobs);
        Assert.Equal("Hi", Assert.IsType<TextBlock>(Assert.Single(accumulator.ToResponse().Content)).Text);
    }

    [Fact]
    public void A_sink_that_does_not_take_entries_gets_the_answer_without_them()
    {
        // The Anthropic door's sinks: the answer reads as usual and nothing of the entries shows.
        var json = $$"""{"choices":[{"index":0,"message":{"role":"assistant","content":"Hello"},"logprobs":{"content":[{{He}}]},"finish_reason":"stop"}]}""";

        var response = StreamRun.Read(json);

        Assert.Null(response.Logprobs);
        Assert.Equal("Hello", Assert.IsType<TextBlock>(Assert.Single(response.Content)).Text);
    }

    private sealed class LogprobsLog : IMessageStreamSink, ILogprobsSink
    {
        public List<string> Events { get; } = [];

        public void OnLogprobs(JsonElement entries) => Events.Add("logprobs " + entries.GetRawText());

        public void OnDelta(int index, DeltaKind kind, ReadOnlySpan<char> value) => Events.Add($"{kind} {value}");

        public void OnMessageStart(string messageId, string model, Usage usage)
        {
        }

        public void OnBlockStart(int index, BlockKind kind, string? toolUseId, string? toolName)
        {
        }

        public void OnBlockStop(int index)
        {
        }

        public void OnMessageDelta(StopReason stopReason, string? stopSequence, Usage usage)
        {
        }

        public void OnMessageStop()
        {
        }

        public void OnPing()
        {
        }

        public void OnError(ApiError error)
        {
        }
    }
}
