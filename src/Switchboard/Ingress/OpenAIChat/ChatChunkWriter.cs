using System.Buffers;
using System.Text.Json;
using Switchboard.Canonical;

namespace Switchboard.Ingress.OpenAIChat;

/// <summary>
/// Writes canonical events as Chat Completions SSE: one <c>data:</c> line per <c>chat.completion.chunk</c>, no
/// <c>event:</c> lines, then <c>data: [DONE]</c>. The first chunk carries the role; thinking goes out as
/// <c>reasoning_content</c> deltas, text as <c>content</c> deltas; a tool call opens with its <c>index</c>, <c>id</c>,
/// <c>type</c> and <c>function.name</c>, and its argument fragments follow under the same <c>index</c> (counting
/// tool calls, not content blocks). One chunk carries the <c>finish_reason</c>; when asked, a last chunk with no
/// choices carries the usage. Keep-alives are SSE comments. A failure after the start is a final chunk holding
/// only an <c>error</c> object (what OpenAI-compatible servers send, and what the SDKs raise), then <c>[DONE]</c>.
/// The chunk head (id, created, model) is the same in every chunk, so it is encoded once.
/// Token log probabilities the upstream returned go out in its order as <c>choices[0].logprobs.content</c> on the
/// next content chunk, or else on the chunk with the finish reason: a model profile may hold back or rewrite text
/// (think tags, tool markup), so entries and text deltas need not line up chunk for chunk.
/// </summary>
public sealed class ChatChunkWriter : IMessageStreamSink, ILogprobsSink
{
    private readonly IBufferWriter<byte> _output;
    private readonly Utf8JsonWriter _json;
    private readonly long _created;
    private readonly bool _includeUsage;
    private readonly bool _alsoSendReasoning;
    private byte[] _head = [];
    private int _toolIndex = -1;
    private long _thinkingCharacters;
    private Usage _usage;
    private bool _done;
    // Made on the first entries: a request without logprobs never has any.
    private List<JsonElement>? _logprobs;

    public ChatChunkWriter(IBufferWriter<byte> output, long created, bool includeUsage, bool alsoSendReasoning)
    {
        _output = output;
        _created = created;
        _includeUsage = includeUsage;
        _alsoSendReasoning = alsoSendReasoning;
        _json = new Utf8JsonWriter(output, ClientJson.Writer);
    }

    public void OnMessageStart(string messageId, string model, Usage usage)
    {
        _head = Head(ChatCompletionIds.Completion(messageId), _created, model);
        _usage = usage;
        BeginChoice();
        _json.WriteString("role"u8, "assistant"u8);
        _json.WriteString("content"u8, ""u8);
        EndChoice(finishReason: default);
    }

    public void OnBlockStart(int index, BlockKind kind, string? toolUseId, string? toolName)
    {
        if (kind != BlockKind.ToolUse)
        {
            return;
        }

        _toolIndex++;
        BeginChoice();
        BeginToolCall();
        _json.WriteString("id"u8, ChatCompletionIds.Call(toolUseId));
        _json.WriteString("type"u8, "function"u8);
        _json.WriteStartObject("function"u8);
        _json.WriteString("name"u8, toolName);
        _json.WriteString("arguments"u8, ""u8);
        EndToolCall();
        EndChoice(finishReason: default);
    }

    public void OnDelta(int index, DeltaKind kind, ReadOnlySpan<char> value)
    {
        switch (kind)
        {
            case DeltaKind.Text:
                BeginChoice();
                _json.WriteString("content"u8, value);
                EndChoice(finishReason: default, withLogprobs: true);
                break;
            case DeltaKind.Thinking:
                _thinkingCharacters += value.Length;
                BeginChoice();
                _json.WriteString("reasoning_content"u8, value);
                if (_alsoSendReasoning)
                {
                    _json.WriteString("reasoning"u8, value);
                }

                EndChoice(finishReason: default);
                break;
            case DeltaKind.InputJson:
                BeginChoice();
                BeginToolCall();

                // The function object is in every tool delta: the AI SDK's chunk schema requires it.
                _json.WriteStartObject("function"u8);
                _json.WriteString("arguments"u8, value);
                EndToolCall();
                EndChoice(finishReason: default);
                break;
            default:
                // Signatures have no place in Chat Completions.
                break;
        }
    }

    public void OnBlockStop(int index)
    {
    }

    public void OnMessageDelta(StopReason stopReason, string? stopSequence, Usage usage)
    {
        _usage = usage;
        BeginChoice();
        EndChoice(ChatFinishReasons.ToWire(stopReason), withLogprobs: true);
    }

    public void OnMessageStop()
    {
        if (_includeUsage)
        {
            _output.Write("data: "u8);
            _output.Write(_head);
            _output.Write("],\"usage\":"u8);
            _json.Reset();
            ChatUsageWriter.WriteValue(_json, _usage, ChatUsageWriter.ReasoningTokens(_thinkingCharacters, _usage));
            _json.Flush();
            _output.Write("}\n\n"u8);
        }

        Done();
    }

    public void OnLogprobs(JsonElement entries)
    {
        if (entries.ValueKind != JsonValueKind.Array || entries.GetArrayLength() == 0)
        {
            return;
        }

        _logprobs ??= [];
        foreach (var entry in entries.EnumerateArray())
        {
            _logprobs.Add(entry);
        }
    }

    public void OnPing() => _output.Write(": ping\n\n"u8);

    public void OnError(ApiError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        _output.Write("data: "u8);
        _json.Reset();
        OpenAIErrors.Instance.WriteBody(_json, error, requestId: null);
        _json.Flush();
        _output.Write("\n\n"u8);
        Done();
    }

    private void Done()
    {
        if (!_done)
        {
            _done = true;
            _output.Write("data: [DONE]\n\n"u8);
        }
    }

    /// <summary><c>{"id":…,"object":"chat.completion.chunk","created":…,"model":…,"system_fingerprint":…,"choices":[</c></summary>
    private static byte[] Head(string id, long created, string model)
    {
        var buffer = new ArrayBufferWriter<byte>(160);
        using (var w = new Utf8JsonWriter(buffer, ClientJson.Writer))
        {
            w.WriteStartObject();
            w.WriteString("id"u8, id);
            w.WriteString("object"u8, "chat.completion.chunk"u8);
            w.WriteNumber("created"u8, created);
            w.WriteString("model"u8, model);
            w.WriteString("system_fingerprint"u8, ChatJson.SystemFingerprint);
            w.WriteStartArray("choices"u8);
            w.Flush();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes the chunk head and opens choice 0 and its delta.</summary>
    private void BeginChoice()
    {
        _output.Write("data: "u8);
        _output.Write(_head);
        _json.Reset();
        _json.WriteStartObject();
        _json.WriteNumber("index"u8, 0);
        _json.WriteStartObject("delta"u8);
    }

    /// <summary>
    /// Closes the delta and the choice (with its finish reason, or null), then the chunk and the event. With
    /// <paramref name="withLogprobs"/>, the log probability entries received since the last such chunk go with it.
    /// </summary>
    private void EndChoice(ReadOnlySpan<byte> finishReason, bool withLogprobs = false)
    {
        _json.WriteEndObject();
        if (withLogprobs && _logprobs is { Count: > 0 } entries)
        {
            ChatLogprobsWriter.Write(_json, entries);
            entries.Clear();
        }
        else
        {
            _json.WriteNull("logprobs"u8);
        }

        if (finishReason.IsEmpty)
        {
            _json.WriteNull("finish_reason"u8);
        }
        else
        {
            _json.WriteString("finish_reason"u8, finishReason);
        }

        _json.WriteEndObject();
        _json.Flush();
        _output.Write(_includeUsage ? "],\"usage\":null}\n\n"u8 : "]}\n\n"u8);
    }

    private void BeginToolCall()
    {
        _json.WriteStartArray("tool_calls"u8);
        _json.WriteStartObject();
        _json.WriteNumber("index"u8, _toolIndex);
    }

    /// <summary>Closes the function object, the call and the array.</summary>
    private void EndToolCall()
    {
        _json.WriteEndObject();
        _json.WriteEndObject();
        _json.WriteEndArray();
    }
}
