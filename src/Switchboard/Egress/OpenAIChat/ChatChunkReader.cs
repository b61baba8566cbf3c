using System.Text.Json;
using Switchboard.Canonical;
using Switchboard.Egress.OpenAIChat.Profiles;

namespace Switchboard.Egress.OpenAIChat;

/// <summary>
/// Applies Chat Completions JSON to a message: one streamed <c>chat.completion.chunk</c> at a time, or a whole
/// <c>chat.completion</c>. One instance per message. Only the first choice is read (Switchboard never asks for more).
/// </summary>
/// <remarks>
/// A chunk is scanned whole (<see cref="ChatChunkParts"/>) before anything is applied, so malformed JSON changes
/// nothing. What one chunk carries is then applied in the order a model produces it: reasoning, content, tool calls,
/// finish reason.
/// </remarks>
internal sealed class ChatChunkReader(
    StreamAssembler assembler, IContentParser content, IReadOnlyList<string> stopSequences, string upstreamName, bool streaming)
{
    private readonly JsonStringDecoder _decoder = new();
    private readonly ChatToolCallReader _toolCalls = new(assembler, streaming);

    /// <summary>What has been read so far, for judging how the answer ended.</summary>
    public ChatAnswerShape Shape { get; private set; }

    /// <summary>
    /// Applies one JSON object. Returns false, having changed nothing, when <paramref name="json"/> is not a JSON
    /// object. Throws the translated upstream error when it is an error object.
    /// </summary>
    public bool Apply(ReadOnlySpan<byte> json)
    {
        ChatChunkParts parts;
        try
        {
            if (!ChatChunkParts.TryScan(json, out parts))
            {
                return false;
            }
        }
        catch (JsonException)
        {
            return false;
        }

        if (parts.IsError)
        {
            throw ChatErrorReader.TranslateErrorObject(json, upstreamName);
        }

        if (!parts.IsChat)
        {
            return false;
        }

        Shape = Shape with
        {
            AnyChunk = true,
            AnyOutput = Shape.AnyOutput || parts.Content is not null || parts.ReasoningContent is not null
                || parts.Reasoning is not null || parts.ToolCalls is not null,
            Finished = Shape.Finished || parts.Finish != FinishReason.None,
        };

        if ((parts.ReasoningContent ?? parts.Reasoning) is { } reasoning)
        {
            var thinking = _decoder.DecodeString(json[reasoning]);
            if (!thinking.IsEmpty)
            {
                content.OnReasoningField();
                assembler.AppendThinking(thinking);
            }
        }

        if (parts.Content is { } text)
        {
            content.Append(_decoder.DecodeString(json[text]), assembler);
        }

        if (parts.ToolCalls is { } toolCalls)
        {
            _toolCalls.Apply(json[toolCalls], _decoder);
        }

        if (parts.Finish != FinishReason.None)
        {
            var (reason, sequence) = FinishReasons.Resolve(parts.Finish, parts.StopReason, parts.MatchedStop, stopSequences);
            assembler.SetStop(reason, sequence);
        }

        if (parts.Usage is { } usage)
        {
            assembler.SetUsage(usage);
        }

        return true;
    }
}
