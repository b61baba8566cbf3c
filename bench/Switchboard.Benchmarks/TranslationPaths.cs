using System.Buffers;
using System.Text.Json;
using Switchboard.Buffers;
using Switchboard.Canonical;
using Switchboard.Configuration;
using Switchboard.Egress;
using Switchboard.Egress.OpenAIChat;
using Switchboard.Egress.OpenAIChat.Profiles;
using Switchboard.Ingress.Anthropic;
using Switchboard.Ingress.OpenAIChat;
using Switchboard.Routing;

namespace Switchboard.Benchmarks;

/// <summary>
/// The per-request and per-token work Switchboard does, each as one repeatable operation on the fixtures, exactly
/// as the endpoints chain it (minus the sockets). Shared by the BenchmarkDotNet classes and the allocation check,
/// so both measure the same code.
/// </summary>
public sealed class TranslationPaths : IDisposable
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 256 };
    private static readonly ChatCompletionsDoor ChatDoor = new(new SwitchboardOptions(), TimeProvider.System);
    private static readonly AnthropicDoor Door = new(new ThinkingKey(new SwitchboardOptions { ThinkingSignatureKey = "bench-thinking-signature-key-0123" }));

    /// <summary>The request a stream writer is made for; the Anthropic writer reads nothing of it.</summary>
    private static readonly MessageRequest StreamRequest = new() { Model = "claude-sonnet-4-5", MaxTokens = 1024, Messages = [], Stream = true };

    private static readonly MessageRequest ChatStreamRequest = StreamRequest with { Model = "gpt-oss-120b", IncludeUsage = true };

    private readonly ModelRoute _route;
    private readonly ArrayBufferWriter<byte> _clientOutput = new(64 * 1024);
    private readonly IMessageStreamSink _liveWriter;
    private readonly StreamAssembler _liveAssembler;
    private readonly ChatChunkReader _liveChunks;
    private readonly HttpClient _unusedHttp = new();

    public TranslationPaths()
    {
        var model = new ModelOptions { Name = "qwen3-coder", Aliases = ["*"] };
        var upstream = new UpstreamEndpoint("default", new UpstreamOptions { BaseUrl = "http://127.0.0.1:8000/v1" }, _unusedHttp);
        _route = new ModelRoute("claude-sonnet-4-5", model, upstream, "qwen3-coder");

        // A stream in progress: message started and a text block open, so each chunk costs what a mid-stream token costs.
        _liveWriter = Door.CreateStreamWriter(_clientOutput, "req_bench", StreamRequest);
        _liveAssembler = new StreamAssembler(_liveWriter);
        _liveAssembler.Start("msg_bench", "claude-sonnet-4-5", new Usage(18342, 1, 0, 0));
        _liveChunks = new ChatChunkReader(_liveAssembler, new PlainContentParser(), [], "default", streaming: true);
        _liveChunks.Apply(Fixtures.ChatChunk);
    }

    /// <summary>Client body → canonical request → Chat Completions body (what <c>POST /v1/messages</c> sends upstream).</summary>
    public int TranslateRequest(byte[] anthropicBody)
    {
        using var document = JsonDocument.Parse(anthropicBody, DocumentOptions);
        var request = MessagesRequestReader.Read(document.RootElement, new RequestReadNotes());
        using var body = new BodyBuffer();
        ChatRequestWriter.Write(body, request, _route, request.Stream);
        return body.Length;
    }

    /// <summary>
    /// The whole request side in-process, as <c>POST /v1/messages</c> runs it: the body copied into a pooled buffer
    /// (as read from the socket), its text checked (lone surrogates, UTF-8), parsed, read into the canonical request,
    /// its input tokens estimated (admission), and written as the upstream's Chat Completions body.
    /// </summary>
    public int TranslateRequestEndToEnd(byte[] anthropicBody)
    {
        using var received = new BodyBuffer(anthropicBody.Length + 1);
        received.Write(anthropicBody);
        _ = Switchboard.Ingress.RequestText.ReplaceLoneSurrogates(received.WrittenSpanForEdit);
        if (Switchboard.Ingress.RequestText.FindInvalidUtf8(received.WrittenSpan) is not null)
        {
            throw new InvalidOperationException("fixture is not UTF-8");
        }

        using var document = JsonDocument.Parse(received.WrittenMemory, DocumentOptions);
        var request = MessagesRequestReader.Read(document.RootElement, new RequestReadNotes());
        var estimate = TokenEstimator.Estimate(request);
        using var body = new BodyBuffer();
        ChatRequestWriter.Write(body, request, _route, request.Stream);
        return body.Length + estimate;
    }

    /// <summary>
    /// What one request holds while its answer streams: the client's body and its parsed document and the canonical
    /// request, all still referenced; the upstream body goes back once the server has it (as
    /// <c>OpenAiChatResponse</c> does). Dispose the result to let them go.
    /// </summary>
    public IDisposable HoldRequest(byte[] anthropicBody)
    {
        var received = new BodyBuffer(anthropicBody.Length + 1);
        received.Write(anthropicBody);
        _ = Switchboard.Ingress.RequestText.ReplaceLoneSurrogates(received.WrittenSpanForEdit);
        var document = JsonDocument.Parse(received.WrittenMemory, DocumentOptions);
        var request = MessagesRequestReader.Read(document.RootElement, new RequestReadNotes());
        _ = TokenEstimator.Estimate(request);
        using (var body = new BodyBuffer())
        {
            ChatRequestWriter.Write(body, request, _route, request.Stream);
        }

        return new Held(received, document, request);
    }

    private sealed record Held(BodyBuffer Received, JsonDocument Document, MessageRequest Request) : IDisposable
    {
        public void Dispose()
        {
            Document.Dispose();
            Received.Dispose();
        }
    }

    /// <summary>The upstream body for one client body, through the same steps as <see cref="TranslateRequestEndToEnd"/>.</summary>
    public byte[] WriteUpstreamBody(byte[] anthropicBody)
    {
        var received = (byte[])anthropicBody.Clone();
        _ = Switchboard.Ingress.RequestText.ReplaceLoneSurrogates(received);
        using var document = JsonDocument.Parse(received, DocumentOptions);
        var request = MessagesRequestReader.Read(document.RootElement, new RequestReadNotes());
        using var body = new BodyBuffer();
        ChatRequestWriter.Write(body, request, _route, request.Stream);
        return body.WrittenSpan.ToArray();
    }

    /// <summary>A <c>chat.completion</c> → assembler → accumulated message → Anthropic JSON (the non-streamed answer).</summary>
    public int TranslateResponse()
    {
        var accumulator = new MessageAccumulator();
        var assembler = new StreamAssembler(accumulator);
        assembler.Start(Ids.NewMessageId(), "claude-sonnet-4-5", default);
        ChatResponseReader.Read(Fixtures.ChatCompletion, assembler, new PlainContentParser(), [], "default");
        assembler.Complete();

        _clientOutput.ResetWrittenCount();
        Door.WriteMessage(_clientOutput, accumulator.ToResponse(), StreamRequest);
        return _clientOutput.WrittenCount;
    }

    /// <summary>One streamed chunk in the middle of a stream → one <c>content_block_delta</c> event out.</summary>
    public int TranslateChunk()
    {
        _clientOutput.ResetWrittenCount();
        _liveChunks.Apply(Fixtures.ChatChunk);
        return _clientOutput.WrittenCount;
    }

    /// <summary>A whole streamed answer (SSE parsing included) → Anthropic SSE, from message_start to message_stop.</summary>
    public async Task<int> TranslateStreamAsync()
    {
        _clientOutput.ResetWrittenCount();
        using var upstream = new MemoryStream(Fixtures.ChatStream, writable: false);
        var writer = Door.CreateStreamWriter(_clientOutput, "req_bench", StreamRequest);
        using var disposeWriter = writer as IDisposable;
        var assembler = new StreamAssembler(writer);
        assembler.Start(Ids.NewMessageId(), "claude-sonnet-4-5", new Usage(18342, 1, 0, 0));
        await ChatStreamReader.ReadAsync(upstream, assembler, new PlainContentParser(), [], "default", CancellationToken.None).ConfigureAwait(false);
        assembler.Complete();
        return _clientOutput.WrittenCount;
    }

    /// <summary>The same <c>chat.completion</c> answered through the Chat Completions door (<c>chat.completion</c> JSON).</summary>
    public int TranslateChatResponse()
    {
        var accumulator = new MessageAccumulator();
        var assembler = new StreamAssembler(accumulator);
        assembler.Start(Ids.NewMessageId(), "gpt-oss-120b", default);
        ChatResponseReader.Read(Fixtures.ChatCompletion, assembler, new PlainContentParser(), [], "default");
        assembler.Complete();

        _clientOutput.ResetWrittenCount();
        ChatDoor.WriteMessage(_clientOutput, accumulator.ToResponse(), StreamRequest);
        return _clientOutput.WrittenCount;
    }

    /// <summary>The same 300-token stream answered through the Chat Completions door (chunks, usage chunk, <c>[DONE]</c>).</summary>
    public async Task<int> TranslateChatStreamAsync()
    {
        _clientOutput.ResetWrittenCount();
        using var upstream = new MemoryStream(Fixtures.ChatStream, writable: false);
        var writer = ChatDoor.CreateStreamWriter(_clientOutput, "req_bench", ChatStreamRequest);
        var assembler = new StreamAssembler(writer);
        assembler.Start(Ids.NewMessageId(), "gpt-oss-120b", new Usage(18342, 1, 0, 0));
        await ChatStreamReader.ReadAsync(upstream, assembler, new PlainContentParser(), [], "default", CancellationToken.None).ConfigureAwait(false);
        assembler.Complete();
        return _clientOutput.WrittenCount;
    }

    public void Dispose()
    {
        (_liveWriter as IDisposable)?.Dispose();
        _unusedHttp.Dispose();
    }
}
