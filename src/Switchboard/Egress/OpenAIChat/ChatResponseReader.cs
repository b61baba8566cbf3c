using Switchboard.Canonical;
using Switchboard.Egress.OpenAIChat.Profiles;

namespace Switchboard.Egress.OpenAIChat;

/// <summary>Reads a non-streamed <c>chat.completion</c> body into the assembler.</summary>
public static class ChatResponseReader
{
    /// <summary>
    /// Applies the first choice's reasoning, content, tool calls and finish reason, and the usage. Does not start or
    /// complete the message. A body that is an error object throws the translated error, and one that is not a chat
    /// completion throws an <see cref="ApiErrorKind.Api"/> error. Returns what it saw, for judging the ending.
    /// </summary>
    public static ChatAnswerShape Read(ReadOnlySpan<byte> json, StreamAssembler assembler, IContentParser content, IReadOnlyList<string> stopSequences) =>
        Read(json, assembler, content, stopSequences, ChatErrorReader.UnnamedUpstream);

    /// <inheritdoc cref="Read(ReadOnlySpan{byte}, StreamAssembler, IContentParser, IReadOnlyList{string})"/>
    /// <param name="upstreamName">Named in error messages.</param>
    public static ChatAnswerShape Read(
        ReadOnlySpan<byte> json, StreamAssembler assembler, IContentParser content, IReadOnlyList<string> stopSequences, string upstreamName) =>
        Read(json, assembler, content, stopSequences, upstreamName, matchStopSequences: false);

    /// <inheritdoc cref="Read(ReadOnlySpan{byte}, StreamAssembler, IContentParser, IReadOnlyList{string}, string)"/>
    /// <param name="matchStopSequences">Switchboard finds the stop sequences in the text itself; the answer ends at the first.</param>
    internal static ChatAnswerShape Read(
        ReadOnlySpan<byte> json,
        StreamAssembler assembler,
        IContentParser content,
        IReadOnlyList<string> stopSequences,
        string upstreamName,
        bool matchStopSequences)
    {
        var reader = new ChatChunkReader(assembler, content, stopSequences, upstreamName, streaming: false, matchStopSequences);
        if (!reader.Apply(json))
        {
            throw UpstreamFailure.Create(UpstreamFailureKind.BadResponse, $"Upstream '{upstreamName}' answered with a body that is not a Chat Completions response.");
        }

        reader.End();
        content.Flush(assembler);
        return reader.Shape with { Terminated = true };
    }
}
