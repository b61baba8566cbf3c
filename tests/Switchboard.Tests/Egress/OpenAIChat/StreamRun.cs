using System.Text;
using Switchboard.Canonical;
using Switchboard.Ingress.Anthropic;
using Switchboard.Egress.OpenAIChat;
using Switchboard.Egress.OpenAIChat.Profiles;

namespace Switchboard.Tests.Egress.OpenAIChat;

/// <summary>Drives a Chat Completions body through a real <see cref="StreamAssembler"/>, as the upstream's caller would.</summary>
internal static class StreamRun
{
    public static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    public sealed record Result(MessageResponse Response, string Log, Exception? Error);

    public static Task<Result> StreamAsync(string sse, IContentParser? parser = null, IReadOnlyList<string>? stops = null) =>
        StreamAsync(new MemoryStream(Encoding.UTF8.GetBytes(sse)), parser, stops);

    public static async Task<Result> StreamAsync(Stream body, IContentParser? parser = null, IReadOnlyList<string>? stops = null)
    {
        var sink = new RecordingSink();
        using var signer = new AnthropicBlockSigner(sink, Key);
        var assembler = new StreamAssembler(signer);
        assembler.Start("msg_test", "test-model", default);
        Exception? error = null;
        try
        {
            await ChatStreamReader.ReadAsync(body, assembler, parser ?? new PlainContentParser(), stops ?? [], "vllm-a", CancellationToken.None);
            assembler.Complete();
        }
        catch (Exception e) when (e is ApiException or Switchboard.Egress.ContextWindowExceededException)
        {
            error = e;
        }

        return new Result(sink.ToResponse(), sink.Log, error);
    }

    public static MessageResponse Read(string json, IContentParser? parser = null, IReadOnlyList<string>? stops = null)
    {
        var sink = new RecordingSink();
        using var signer = new AnthropicBlockSigner(sink, Key);
        var assembler = new StreamAssembler(signer);
        assembler.Start("msg_test", "test-model", default);
        ChatResponseReader.Read(Encoding.UTF8.GetBytes(json), assembler, parser ?? new PlainContentParser(), stops ?? [], "vllm-a");
        assembler.Complete();
        return sink.ToResponse();
    }
}
