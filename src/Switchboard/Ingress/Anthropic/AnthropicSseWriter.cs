using System.Buffers;
using System.Text.Json;
using Switchboard.Canonical;

namespace Switchboard.Ingress.Anthropic;

/// <summary>
/// Writes canonical events as Anthropic SSE: <c>event: name</c>, one <c>data:</c> line of compact JSON whose
/// <c>type</c> equals the event name, and a blank line. Bytes go straight into the buffer writer through one
/// reused <see cref="Utf8JsonWriter"/>; the caller flushes the underlying transport.
/// </summary>
public sealed class AnthropicSseWriter : IMessageStreamSink, IRawBlockSink, IServerToolSink
{
    private readonly IBufferWriter<byte> _output;
    private readonly string _requestId;
    private readonly Utf8JsonWriter _json;
    private readonly IReadOnlyList<AppliedContextEdit>? _edits;

    /// <param name="edits">The context edits Switchboard applied to the request, reported in <c>message_delta</c>.</param>
    public AnthropicSseWriter(IBufferWriter<byte> output, string requestId, IReadOnlyList<AppliedContextEdit>? edits = null)
    {
        _output = output;
        _requestId = requestId;
        _edits = edits;
        _json = new Utf8JsonWriter(output, ClientJson.Writer);
    }

    public void OnMessageStart(string messageId, string model, Usage usage)
    {
        Begin("event: message_start\ndata: "u8, "message_start"u8);
        _json.WriteStartObject("message"u8);
        _json.WriteString("id"u8, messageId);
        _json.WriteString("type"u8, "message"u8);
        _json.WriteString("role"u8, "assistant"u8);
        _json.WriteString("model"u8, model);
        _json.WriteStartArray("content"u8);
        _json.WriteEndArray();
        _json.WriteNull("stop_reason"u8);
        _json.WriteNull("stop_sequence"u8);
        AnthropicUsageWriter.Write(_json, usage);
        _json.WriteEndObject();
        End();
    }

    public void OnBlockStart(int index, BlockKind kind, string? toolUseId, string? toolName)
    {
        Begin("event: content_block_start\ndata: "u8, "content_block_start"u8);
        _json.WriteNumber("index"u8, index);
        _json.WriteStartObject("content_block"u8);
        switch (kind)
        {
            case BlockKind.Thinking:
                _json.WriteString("type"u8, "thinking"u8);
                _json.WriteString("thinking"u8, ""u8);
                _json.WriteString("signature"u8, ""u8);
                break;
            case BlockKind.ToolUse:
                // The input stays an empty object here: clients build it only from input_json_delta events.
                _json.WriteString("type"u8, "tool_use"u8);
                _json.WriteString("id"u8, toolUseId);
                _json.WriteString("name"u8, toolName);
                _json.WriteStartObject("input"u8);
                _json.WriteEndObject();
                break;
            default:
                _json.WriteString("type"u8, "text"u8);
                _json.WriteString("text"u8, ""u8);
                break;
        }

        _json.WriteEndObject();
        End();
    }

    public void OnDelta(int index, DeltaKind kind, ReadOnlySpan<char> value)
    {
        Begin("event: content_block_delta\ndata: "u8, "content_block_delta"u8);
        _json.WriteNumber("index"u8, index);
        _json.WriteStartObject("delta"u8);
        switch (kind)
        {
            case DeltaKind.Thinking:
                _json.WriteString("type"u8, "thinking_delta"u8);
                _json.WriteString("thinking"u8, value);
                break;
            case DeltaKind.Signature:
                _json.WriteString("type"u8, "signature_delta"u8);
                _json.WriteString("signature"u8, value);
                break;
            case DeltaKind.InputJson:
                _json.WriteString("type"u8, "input_json_delta"u8);
                _json.WriteString("partial_json"u8, value);
                break;
            default:
                _json.WriteString("type"u8, "text_delta"u8);
                _json.WriteString("text"u8, value);
                break;
        }

        _json.WriteEndObject();
        End();
    }

    /// <summary>
    /// An upstream's block as it sent it. A server-tool call opens with an empty input that one
    /// <c>input_json_delta</c> fills, as Anthropic streams it (clients build the input only from deltas).
    /// </summary>
    public void OnRawBlock(int index, RawBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        using var document = JsonDocument.Parse(block.Json);
        var root = document.RootElement;
        var input = root.ValueKind == JsonValueKind.Object && block.Type.EndsWith("tool_use", StringComparison.Ordinal)
            && root.TryGetProperty("input"u8, out var value) && value.ValueKind == JsonValueKind.Object ? value : default;
        Begin("event: content_block_start\ndata: "u8, "content_block_start"u8);
        _json.WriteNumber("index"u8, index);
        _json.WritePropertyName("content_block"u8);
        if (input.ValueKind == JsonValueKind.Undefined)
        {
            _json.WriteRawValue(block.Json, skipInputValidation: true);
        }
        else
        {
            _json.WriteStartObject();
            foreach (var property in root.EnumerateObject())
            {
                if (property.NameEquals("input"u8))
                {
                    _json.WriteStartObject("input"u8);
                    _json.WriteEndObject();
                }
                else
                {
                    property.WriteTo(_json);
                }
            }

            _json.WriteEndObject();
        }

        End();
        if (input.ValueKind != JsonValueKind.Undefined)
        {
            OnDelta(index, DeltaKind.InputJson, input.GetRawText());
        }

        OnBlockStop(index);
    }

    public void OnBlockStop(int index)
    {
        Begin("event: content_block_stop\ndata: "u8, "content_block_stop"u8);
        _json.WriteNumber("index"u8, index);
        End();
    }

    public void OnMessageDelta(StopReason stopReason, string? stopSequence, Usage usage)
    {
        Begin("event: message_delta\ndata: "u8, "message_delta"u8);
        _json.WriteStartObject("delta"u8);
        _json.WriteString("stop_reason"u8, AnthropicStopReasons.ToWire(stopReason));
        _json.WriteString("stop_sequence"u8, stopSequence);
        _json.WriteEndObject();
        AnthropicUsageWriter.Write(_json, usage);
        ContextManagementWriter.Write(_json, _edits);
        End();
    }

    /// <summary>
    /// A server tool's call goes out as Anthropic streams it (start with an empty input, the input whole in one
    /// <c>input_json_delta</c>, stop); its result complete in <c>content_block_start</c>, with no deltas.
    /// </summary>
    public void OnServerBlock(int index, ContentBlock block)
    {
        Begin("event: content_block_start\ndata: "u8, "content_block_start"u8);
        _json.WriteNumber("index"u8, index);
        _json.WritePropertyName("content_block"u8);
        ServerToolBlockWriter.Write(_json, block, emptyInput: true);
        End();
        if (block is ServerToolUseBlock call)
        {
            OnDelta(index, DeltaKind.InputJson, call.InputJson);
        }

        OnBlockStop(index);
    }

    public void OnCitation(int index, WebSearchCitation citation)
    {
        Begin("event: content_block_delta\ndata: "u8, "content_block_delta"u8);
        _json.WriteNumber("index"u8, index);
        _json.WriteStartObject("delta"u8);
        _json.WriteString("type"u8, "citations_delta"u8);
        _json.WritePropertyName("citation"u8);
        ServerToolBlockWriter.WriteCitation(_json, citation);
        _json.WriteEndObject();
        End();
    }

    public void OnMessageStop() => _output.Write("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"u8);

    public void OnPing() => _output.Write("event: ping\ndata: {\"type\":\"ping\"}\n\n"u8);

    public void OnError(ApiError error)
    {
        _output.Write("event: error\ndata: "u8);
        _json.Reset();
        AnthropicErrors.WriteBody(_json, error, _requestId);
        _json.Flush();
        _output.Write("\n\n"u8);
    }

    /// <summary>Writes the event line and opens the data object with its <c>type</c>.</summary>
    private void Begin(ReadOnlySpan<byte> eventAndDataPrefix, ReadOnlySpan<byte> type)
    {
        _output.Write(eventAndDataPrefix);
        _json.Reset();
        _json.WriteStartObject();
        _json.WriteString("type"u8, type);
    }

    /// <summary>Closes the data object, commits it to the buffer writer and ends the event.</summary>
    private void End()
    {
        _json.WriteEndObject();
        _json.Flush();
        _output.Write("\n\n"u8);
    }
}
