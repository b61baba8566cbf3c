using System.Buffers;
using System.Text;
using System.Text.Json;
using Switchboard.Canonical;
using Switchboard.Ingress.OpenAIChat;

namespace Switchboard.Tests.Ingress.OpenAIChat;

public sealed class ChatChunkWriterTests
{
    private const string Head = """{"id":"chatcmpl-abc","object":"chat.completion.chunk","created":1700000000,"model":"my-model","system_fingerprint":"fp_switchboard","choices":[""";

    private readonly ArrayBufferWriter<byte> _buffer = new();

    private string Written => Encoding.UTF8.GetString(_buffer.WrittenSpan);

    [Fact]
    public void Writes_a_text_stream_byte_for_byte()
    {
        var writer = new ChatChunkWriter(_buffer, 1_700_000_000, includeUsage: false, alsoSendReasoning: false);
        writer.OnMessageStart("msg_abc", "my-model", new Usage(10, 1, 0, 0));
        writer.OnBlockStart(0, BlockKind.Text, null, null);
        writer.OnPing();
        writer.OnDelta(0, DeltaKind.Text, "Hi");
        writer.OnBlockStop(0);
        writer.OnMessageDelta(StopReason.EndTurn, null, new Usage(10, 5, 0, 0));
        writer.OnMessageStop();

        var expected =
            "data: " + Head + """{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}""" + "\n\n" +
            ": ping\n\n" +
            "data: " + Head + """{"index":0,"delta":{"content":"Hi"},"logprobs":null,"finish_reason":null}]}""" + "\n\n" +
            "data: " + Head + """{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]}""" + "\n\n" +
            "data: [DONE]\n\n";
        Assert.Equal(expected, Written);
    }

    [Fact]
    public void With_usage_asked_every_chunk_has_null_usage_and_a_last_chunk_without_choices_has_the_totals()
    {
        var writer = new ChatChunkWriter(_buffer, 1_700_000_000, includeUsage: true, alsoSendReasoning: false);
        writer.OnMessageStart("msg_abc", "my-model", new Usage(10, 1, 0, 0));
        writer.OnBlockStart(0, BlockKind.Thinking, null, null);
        writer.OnDelta(0, DeltaKind.Thinking, "12345678");
        writer.OnBlockStop(0);
        writer.OnMessageDelta(StopReason.MaxTokens, null, new Usage(InputTokens: 10, OutputTokens: 7, CacheReadInputTokens: 4, CacheCreationInputTokens: 1));
        writer.OnMessageStop();

        var chunks = DataLines();
        Assert.Equal("[DONE]", chunks[^1]);
        var json = chunks[..^1].Select(c => JsonDocument.Parse(c).RootElement).ToList();
        Assert.All(json[..^1], c => Assert.Equal(JsonValueKind.Null, c.GetProperty("usage").ValueKind));
        Assert.Equal("length", json[^2].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        var last = json[^1];
        Assert.Equal(0, last.GetProperty("choices").GetArrayLength());
        Assert.Equal(
            """{"prompt_tokens":15,"completion_tokens":7,"total_tokens":22,"prompt_tokens_details":{"cached_tokens":4},"completion_tokens_details":{"reasoning_tokens":2}}""",
            last.GetProperty("usage").GetRawText());
        Assert.Equal("chatcmpl-abc", last.GetProperty("id").GetString());
    }

    [Fact]
    public void Tool_calls_open_with_id_type_and_name_then_arguments_follow_under_the_call_index()
    {
        var writer = new ChatChunkWriter(_buffer, 1, includeUsage: false, alsoSendReasoning: false);
        writer.OnMessageStart("msg_abc", "m", default);
        writer.OnBlockStart(0, BlockKind.Text, null, null);
        writer.OnDelta(0, DeltaKind.Text, "Checking.");
        writer.OnBlockStop(0);
        writer.OnBlockStart(1, BlockKind.ToolUse, "chatcmpl-tool-9f", "get_weather");
        writer.OnDelta(1, DeltaKind.InputJson, "{\"city\":");
        writer.OnDelta(1, DeltaKind.InputJson, "\"Paris\"}");
        writer.OnBlockStop(1);
        writer.OnBlockStart(2, BlockKind.ToolUse, null, "get_time");
        writer.OnDelta(2, DeltaKind.InputJson, "{}");
        writer.OnBlockStop(2);
        writer.OnMessageDelta(StopReason.ToolUse, null, default);
        writer.OnMessageStop();

        var deltas = DataLines()[..^1].Select(c => JsonDocument.Parse(c).RootElement.GetProperty("choices")[0].GetProperty("delta")).ToList();
        var calls = deltas.Where(d => d.TryGetProperty("tool_calls", out _)).Select(d => d.GetProperty("tool_calls")[0]).ToList();
        Assert.Equal(
            """{"index":0,"id":"call_chatcmpl-tool-9f","type":"function","function":{"name":"get_weather","arguments":""}}""",
            calls[0].GetRawText());
        Assert.Equal("""{"index":0,"function":{"arguments":"{\"city\":"}}""", calls[1].GetRawText());
        Assert.Equal("""{"index":0,"function":{"arguments":"\"Paris\"}"}}""", calls[2].GetRawText());
        Assert.Equal(1, calls[3].GetProperty("index").GetInt32());
        Assert.StartsWith("call_", calls[3].GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("get_time", calls[3].GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("""{"index":1,"function":{"arguments":"{}"}}""", calls[4].GetRawText());
        Assert.Equal("tool_calls", JsonDocument.Parse(DataLines()[^2]).RootElement.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public void Thinking_goes_out_as_reasoning_content_and_signatures_not_at_all()
    {
        var writer = new ChatChunkWriter(_buffer, 1, includeUsage: false, alsoSendReasoning: false);
        writer.OnMessageStart("msg_abc", "m", default);
        writer.OnBlockStart(0, BlockKind.Thinking, null, null);
        writer.OnDelta(0, DeltaKind.Thinking, "Let me think");
        writer.OnDelta(0, DeltaKind.Signature, "sig");
        writer.OnBlockStop(0);

        var deltas = DataLines().Select(c => JsonDocument.Parse(c).RootElement.GetProperty("choices")[0].GetProperty("delta").GetRawText()).ToList();
        Assert.Equal(["""{"role":"assistant","content":""}""", """{"reasoning_content":"Let me think"}"""], deltas);
    }

    [Fact]
    public void Reasoning_is_also_sent_as_reasoning_when_configured()
    {
        var writer = new ChatChunkWriter(_buffer, 1, includeUsage: false, alsoSendReasoning: true);
        writer.OnMessageStart("msg_abc", "m", default);
        writer.OnBlockStart(0, BlockKind.Thinking, null, null);
        writer.OnDelta(0, DeltaKind.Thinking, "hm");

        var delta = JsonDocument.Parse(DataLines()[^1]).RootElement.GetProperty("choices")[0].GetProperty("delta");
        Assert.Equal("""{"reasoning_content":"hm","reasoning":"hm"}""", delta.GetRawText());
    }

    [Fact]
    public void A_failure_is_a_chunk_holding_only_the_error_then_done()
    {
        var writer = new ChatChunkWriter(_buffer, 1, includeUsage: true, alsoSendReasoning: false);
        writer.OnMessageStart("msg_abc", "m", default);
        writer.OnBlockStart(0, BlockKind.Text, null, null);
        writer.OnDelta(0, DeltaKind.Text, "partial");
        writer.OnError(new ApiError(ApiErrorKind.Api, "The upstream stream broke off"));

        var lines = DataLines();
        Assert.Equal(
            """{"error":{"message":"The upstream stream broke off","type":"server_error","param":null,"code":null}}""",
            lines[^2]);
        Assert.Equal("[DONE]", lines[^1]);
        Assert.Single(lines, "[DONE]");
    }

    [Fact]
    public void A_delta_mid_stream_allocates_nothing()
    {
        var writer = new ChatChunkWriter(_buffer, 1, includeUsage: true, alsoSendReasoning: false);
        writer.OnMessageStart("msg_abc", "m", default);
        writer.OnDelta(0, DeltaKind.Text, "warm");
        writer.OnDelta(0, DeltaKind.Thinking, "warm");
        writer.OnDelta(0, DeltaKind.InputJson, "warm");
        _buffer.ResetWrittenCount();

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            writer.OnDelta(0, DeltaKind.Text, " token");
            writer.OnDelta(0, DeltaKind.Thinking, " thought");
            writer.OnDelta(0, DeltaKind.InputJson, "{\"a\":1}");
            _buffer.ResetWrittenCount();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private string[] DataLines() =>
        Written.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Where(e => e.StartsWith("data: ", StringComparison.Ordinal))
            .Select(e => e["data: ".Length..])
            .ToArray();
}
