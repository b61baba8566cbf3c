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
/// finish reason. Token log probabilities (<c>logprobs.content</c>) are passed on as raw JSON, before the text.
/// </remarks>
internal sealed class ChatChunkReader(
    StreamAssembler assembler,
    IContentParser content,
    IReadOnlyList<string> stopSequences,
    string upstreamName,
    bool streaming,
    bool matchStopSequences = false)
{
    /// <summary>Set when Switchboard finds the stop sequences itself (the server was not sent them).</summary>
    private readonly StopSequenceMatcher? _stops = matchStopSequences && stopSequences.Count > 0 ? new(stopSequences) : null;

    private readonly JsonStringDecoder _decoder = new();
    private readonly ChatToolCallReader _toolCalls = new(assembler, streaming);

    /// <summary>True once a stop sequence Switchboard was matching has ended the answer.</summary>
    public bool Stopped { get; private set; }

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

        if (Stopped)
        {
            return true; // a stop sequence ended the answer; what the server sends after it is not part of it
        }

        Shape = Shape with
        {
            AnyChunk = true,
            AnyOutput = Shape.AnyOutput || parts.Content is not null || parts.ReasoningContent is not null
                || parts.Reasoning is not null || parts.ToolCalls is not null,
            Finished = Shape.Finished || parts.Finish != FinishReason.None,
            StopReported = parts.Finish != FinishReason.None ? parts.HasStopReport : Shape.StopReported,
        };

        // Before the text, so a door that relays entries with the next text it writes can send them with this
        // chunk's. Parsed only for a door that returns them.
        if (parts.Logprobs is { } logprobs && assembler.WantsLogprobs)
        {
            var entries = new Utf8JsonReader(json[logprobs]);
            assembler.AppendLogprobs(JsonElement.ParseValue(ref entries));
        }

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
            if (_stops is null)
            {
                content.Append(_decoder.DecodeString(json[text]), assembler);
            }
            else
            {
                content.Append(_stops.Feed(_decoder.DecodeString(json[text])), assembler);
                if (_stops.Matched is { } matched)
                {
                    assembler.SetStop(StopReason.StopSequence, matched);
                    Stopped = true;
                    Shape = Shape with { Finished = true };
                    return true;
                }
            }
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

    /// <summary>The answer is over: passes on text held back as a possible stop sequence that turned out not to be one.</summary>
    public void End()
    {
        if (_stops is not null && !Stopped && _stops.TakeHeld() is { Length: > 0 } rest)
        {
            content.Append(rest, assembler);
        }
    }
}
