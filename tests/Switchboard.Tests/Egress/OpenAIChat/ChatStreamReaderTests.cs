using System.Text;
using Switchboard.Canonical;
using Switchboard.Ingress.Anthropic;
using Switchboard.Egress.OpenAIChat;
using Switchboard.Egress.OpenAIChat.Profiles;

namespace Switchboard.Tests.Egress.OpenAIChat;

public sealed class ChatStreamReaderTests
{
    public static TheoryData<string> Cases => ChatStreamCases.Names;

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Stream_becomes_the_expected_message(string name)
    {
        var c = ChatStreamCases.All[name];

        var result = await StreamRun.StreamAsync(c.Sse, c.NewParser(), c.Stops);

        Assert.Equal(c.Error, result.Error is ApiException api ? $"{api.Error.Kind}: {api.Message}" : result.Error?.Message);
        if (c.Error is null)
        {
            Assert.Equal(c.Expected, MessageText.Describe(result.Response));
        }

        if (c.Usage is { } usage)
        {
            Assert.Equal(usage, result.Response.Usage);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Splitting_the_body_into_two_reads_at_any_byte_changes_nothing(string name)
    {
        var c = ChatStreamCases.All[name];
        var bytes = Encoding.UTF8.GetBytes(c.Sse);
        var whole = await StreamRun.StreamAsync(new MemoryStream(bytes), c.NewParser(), c.Stops);

        for (var split = 1; split < bytes.Length; split++)
        {
            var pieces = await StreamRun.StreamAsync(new TwoPieceStream(bytes, split), c.NewParser(), c.Stops);

            Assert.True(whole.Log == pieces.Log, $"split at byte {split}: {pieces.Log}");
            Assert.Equal(whole.Error?.Message, pieces.Error?.Message);
        }
    }

    [Fact]
    public async Task Error_chunk_stops_reading_after_what_came_before_it()
    {
        var c = ChatStreamCases.All["error chunk mid-stream"];

        var result = await StreamRun.StreamAsync(c.Sse);

        var error = Assert.IsType<ApiException>(result.Error);
        Assert.Equal(ApiErrorKind.Api, error.Error.Kind);
        Assert.Equal("start|open 0 Text  |delta 0 Text Partial|", result.Log);
    }

    [Theory]
    [InlineData("""{"error":{"message":"Too many requests","type":"rate_limit","code":429}}""", ApiErrorKind.RateLimit)]
    [InlineData("""{"error":{"message":"bad","type":"BadRequestError","code":"invalid_value"}}""", ApiErrorKind.Api)]
    [InlineData("""{"object":"error","message":"bad schema","type":"BadRequestError","code":400}""", ApiErrorKind.InvalidRequest)]
    public async Task Error_chunk_takes_its_status_from_its_code(string chunk, ApiErrorKind kind)
    {
        var result = await StreamRun.StreamAsync($"data: {chunk}\n\n");

        Assert.Equal(kind, Assert.IsType<ApiException>(result.Error).Error.Kind);
    }

    [Fact]
    public async Task Context_error_chunk_becomes_a_context_window_exception()
    {
        var result = await StreamRun.StreamAsync(
            """
            data: {"error":{"message":"This model's maximum context length is 4096 tokens. However, your request has 5000 input tokens. Please reduce the length of the input messages.","type":"BadRequestError","code":400}}


            """);

        var error = Assert.IsType<Switchboard.Egress.ContextWindowExceededException>(result.Error);
        Assert.Equal((5000, 4096), (error.PromptTokens, error.ContextLength));
    }

    [Fact]
    public async Task Held_partial_tag_is_released_when_the_body_ends()
    {
        var result = await StreamRun.StreamAsync(
            """
            data: {"choices":[{"index":0,"delta":{"content":"a <thin"}}]}


            """,
            new ThinkTagParser());

        Assert.Equal(["text: a <thin", "stop: EndTurn"], MessageText.Describe(result.Response));
    }

    [Theory]
    [InlineData("a", "a\uFFFD\uFFFDb")]
    [InlineData("a\\n", "a\n\uFFFD\uFFFDb")]
    public async Task Invalid_utf8_in_content_becomes_replacement_characters(string before, string expected)
    {
        var body = Encoding.UTF8.GetBytes($$"""data: {"choices":[{"index":0,"delta":{"content":"{{before}}""")
            .Concat(new byte[] { 0xFF, 0xC3 })
            .Concat(Encoding.UTF8.GetBytes("b\"}}]}\n\n"))
            .ToArray();

        var result = await StreamRun.StreamAsync(new MemoryStream(body));

        Assert.Equal([$"text: {expected}", "stop: EndTurn"], MessageText.Describe(result.Response));
    }

    [Fact]
    public async Task Connection_lost_midway_names_the_upstream()
    {
        var sink = new RecordingSink();
        using var signer = new AnthropicBlockSigner(sink, StreamRun.Key);
        var assembler = new StreamAssembler(signer);
        var body = new BrokenStream(Encoding.UTF8.GetBytes("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]}\n\n"));

        var error = await Assert.ThrowsAsync<ApiException>(
            () => ChatStreamReader.ReadAsync(body, assembler, new PlainContentParser(), [], "gpu-box", CancellationToken.None));

        Assert.Equal(
            (ApiErrorKind.BadGateway, true, "Upstream 'gpu-box' broke off its response"),
            (error.Error.Kind, error.Error.ShouldRetry, error.Message));
    }

    [Fact]
    public async Task Cancellation_stops_reading()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var sink = new RecordingSink();
        using var signer = new AnthropicBlockSigner(sink, StreamRun.Key);
        var assembler = new StreamAssembler(signer);
        var body = new MemoryStream(Encoding.UTF8.GetBytes("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]}\n\n"));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => ChatStreamReader.ReadAsync(body, assembler, new PlainContentParser(), [], cancelled.Token));
        Assert.Equal("", sink.Log);
    }
}
