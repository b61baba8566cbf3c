using System.Net.ServerSentEvents;
using Switchboard.Canonical;
using Switchboard.Egress.OpenAIChat.Profiles;

namespace Switchboard.Egress.OpenAIChat;

/// <summary>Reads a streamed Chat Completions body (SSE of <c>chat.completion.chunk</c>) into the assembler.</summary>
public static class ChatStreamReader
{
    /// <summary>
    /// Applies chunks as they arrive, until <c>[DONE]</c> or the end of the body, then flushes the content parser.
    /// Does not start or complete the message, and does not judge how the stream ended: it returns what it saw
    /// (<see cref="ChatAnswerShape.Ending"/>) for the caller to decide. An error chunk throws the translated error,
    /// and so does a connection lost midway. Comments, other event types and data that is not a chat completion
    /// chunk are skipped.
    /// </summary>
    public static Task<ChatAnswerShape> ReadAsync(
        Stream body, StreamAssembler assembler, IContentParser content, IReadOnlyList<string> stopSequences, CancellationToken ct) =>
        ReadAsync(body, assembler, content, stopSequences, ChatErrorReader.UnnamedUpstream, ct);

    /// <inheritdoc cref="ReadAsync(Stream, StreamAssembler, IContentParser, IReadOnlyList{string}, CancellationToken)"/>
    /// <param name="upstreamName">Named in error messages.</param>
    public static Task<ChatAnswerShape> ReadAsync(
        Stream body, StreamAssembler assembler, IContentParser content, IReadOnlyList<string> stopSequences, string upstreamName, CancellationToken ct) =>
        ReadAsync(body, assembler, content, stopSequences, upstreamName, matchStopSequences: false, ct);

    /// <inheritdoc cref="ReadAsync(Stream, StreamAssembler, IContentParser, IReadOnlyList{string}, string, CancellationToken)"/>
    /// <param name="matchStopSequences">
    /// Switchboard finds the stop sequences in the text itself (the server was not sent them): the answer ends at
    /// the first one, which is reported as the stop sequence, and the rest of the stream is not read.
    /// </param>
    internal static async Task<ChatAnswerShape> ReadAsync(
        Stream body,
        StreamAssembler assembler,
        IContentParser content,
        IReadOnlyList<string> stopSequences,
        string upstreamName,
        bool matchStopSequences,
        CancellationToken ct)
    {
        var chunks = new ChatChunkReader(assembler, content, stopSequences, upstreamName, streaming: true, matchStopSequences);

        // Each event's data is applied inside the parser's callback, straight from the parser's buffer, so no event
        // is copied or decoded to a string first. The callback only reports whether the stream is done.
        var parser = SseParser.Create(body, (eventType, data) => Apply(chunks, eventType, data));
        var done = false;
        try
        {
            await foreach (var item in parser.EnumerateAsync(ct).ConfigureAwait(false))
            {
                ct.ThrowIfCancellationRequested();
                if (item.Data)
                {
                    done = true;
                    break;
                }
            }
        }
        catch (IOException) when (!ct.IsCancellationRequested)
        {
            // The exception's own text can name addresses; the client learns only what happened.
            throw UpstreamFailure.Create(UpstreamFailureKind.Reset, $"Upstream '{upstreamName}' broke off its response");
        }

        chunks.End();
        content.Flush(assembler);
        return chunks.Shape with { Terminated = done || chunks.Stopped };
    }

    /// <summary>Applies one event; true when it was the <c>[DONE]</c> terminator.</summary>
    private static bool Apply(ChatChunkReader chunks, string eventType, ReadOnlySpan<byte> data)
    {
        data = data.Trim(" \r\n\t"u8);
        if (data.SequenceEqual("[DONE]"u8))
        {
            return true;
        }

        // Chunks come as unnamed events; some gateways name error events. Anything else is not for us.
        if (!data.IsEmpty && (eventType == SseParser.EventTypeDefault || eventType == "error"))
        {
            chunks.Apply(data);
        }

        return chunks.Stopped;
    }
}
