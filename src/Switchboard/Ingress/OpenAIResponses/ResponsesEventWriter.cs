using System.Buffers;
using System.Text;
using System.Text.Json;
using Switchboard.Canonical;

namespace Switchboard.Ingress.OpenAIResponses;

/// <summary>
/// Writes canonical events as the Responses API's stream: <c>event:</c> and <c>data:</c> lines, every event with its
/// <c>type</c> and a <c>sequence_number</c> counting from 0, in the order OpenAI sends them and the openai npm SDK's
/// stream helper enforces: <c>response.created</c>, <c>response.in_progress</c>, then per output item (one at a time)
/// <c>output_item.added</c>, its parts and deltas, their <c>.done</c> events, <c>output_item.done</c> with the whole
/// item (Codex records that one), and finally <c>response.completed</c> (or <c>response.incomplete</c> when the
/// output budget ran out) holding every item and the usage. Thinking is a reasoning item, as summary parts when the
/// client set <c>reasoning.summary</c> and as raw <c>reasoning_text</c> content otherwise, with the thinking sealed
/// into <c>encrypted_content</c> when <c>include</c> asks for it. A freeform tool's input arrives as JSON
/// (<c>{"input": …}</c>) and goes out in one <c>custom_tool_call_input.delta</c> when the call is complete.
/// Keep-alives are <c>keepalive</c> events (comment lines do not reset Codex's idle timer). A failure after the
/// start is an <c>error</c> event, then <c>response.failed</c>; an item cut short is not closed.
/// </summary>
internal sealed class ResponsesEventWriter : IMessageStreamSink
{
    private readonly IBufferWriter<byte> _output;
    private readonly Utf8JsonWriter _json;
    private readonly ResponsesRequestInfo _info;
    private readonly ReasoningSeal _seal;
    private readonly long _createdAt;
    private readonly Func<long> _now;
    private readonly Action<string, byte[], bool>? _finished;
    private readonly List<byte[]> _items = [];
    private readonly StringBuilder _text = new();
    private StringBuilder? _outputText;
    private string _id = "";
    private int _sequence;
    private Usage _usage;
    private StopReason _stopReason;
    private long _thinkingCharacters;

    // The item being written.
    private BlockKind _kind;
    private bool _open;
    private string _itemId = "";
    private string _callId = "";
    private ClientTool? _tool;
    private string? _signature;

    /// <param name="finished">
    /// Called once the final response is written: the response id, the response object's JSON, and whether it
    /// completed (or ran out of budget) rather than failed.
    /// </param>
    public ResponsesEventWriter(
        IBufferWriter<byte> output, ResponsesRequestInfo info, ReasoningSeal seal, long createdAt, Func<long> now,
        Action<string, byte[], bool>? finished = null)
    {
        _output = output;
        _info = info;
        _seal = seal;
        _createdAt = createdAt;
        _now = now;
        _finished = finished;
        _json = new Utf8JsonWriter(output, ClientJson.Writer);
    }

    public void OnMessageStart(string messageId, string model, Usage usage)
    {
        _id = ResponsesIds.Response(messageId);
        _usage = usage;
        WriteLifecycle("response.created"u8, ResponseState.InProgress, withItems: false);
        WriteLifecycle("response.in_progress"u8, ResponseState.InProgress, withItems: false);
    }

    public void OnBlockStart(int index, BlockKind kind, string? toolUseId, string? toolName)
    {
        _kind = kind;
        _open = true;
        _text.Clear();
        _signature = null;
        switch (kind)
        {
            case BlockKind.Thinking:
                _itemId = ResponsesIds.Reasoning();
                BeginItemEvent("response.output_item.added"u8);
                OutputItemWriter.WriteReasoning(_json, _itemId, null, _info.ReasoningAsSummary, null, completed: false);
                End();
                if (_info.ReasoningAsSummary)
                {
                    BeginPartEvent("response.reasoning_summary_part.added"u8, "summary_index"u8);
                    _json.WritePropertyName("part"u8);
                    OutputItemWriter.WritePart(_json, "summary_text"u8, "");
                }
                else
                {
                    BeginPartEvent("response.content_part.added"u8, "content_index"u8);
                    _json.WritePropertyName("part"u8);
                    OutputItemWriter.WritePart(_json, "reasoning_text"u8, "");
                }

                End();
                break;
            case BlockKind.Text:
                _itemId = ResponsesIds.Message();
                BeginItemEvent("response.output_item.added"u8);
                OutputItemWriter.WriteMessage(_json, _itemId, null, completed: false);
                End();
                BeginPartEvent("response.content_part.added"u8, "content_index"u8);
                _json.WritePropertyName("part"u8);
                OutputItemWriter.WriteOutputText(_json, "");
                End();
                break;
            default:
                _tool = _info.ToolFor(toolName ?? "");
                _itemId = _tool.Freeform ? ResponsesIds.CustomToolCall() : ResponsesIds.FunctionCall();
                _callId = ResponsesIds.Call(toolUseId);
                BeginItemEvent("response.output_item.added"u8);
                OutputItemWriter.WriteCall(_json, _itemId, _callId, _tool, "", completed: false);
                End();
                break;
        }
    }

    public void OnDelta(int index, DeltaKind kind, ReadOnlySpan<char> value)
    {
        if (!_open)
        {
            return;
        }

        switch (kind)
        {
            case DeltaKind.Text:
                _text.Append(value);
                BeginPartEvent("response.output_text.delta"u8, "content_index"u8);
                _json.WriteString("delta"u8, value);
                _json.WriteStartArray("logprobs"u8);
                _json.WriteEndArray();
                End();
                break;
            case DeltaKind.Thinking:
                _text.Append(value);
                _thinkingCharacters += value.Length;
                if (_info.ReasoningAsSummary)
                {
                    BeginPartEvent("response.reasoning_summary_text.delta"u8, "summary_index"u8);
                }
                else
                {
                    BeginPartEvent("response.reasoning_text.delta"u8, "content_index"u8);
                }

                _json.WriteString("delta"u8, value);
                End();
                break;
            case DeltaKind.InputJson:
                _text.Append(value);
                if (_tool is { Freeform: false })
                {
                    BeginEvent("response.function_call_arguments.delta"u8);
                    _json.WriteString("item_id"u8, _itemId);
                    _json.WriteNumber("output_index"u8, _items.Count);
                    _json.WriteString("delta"u8, value);
                    End();
                }

                break;
            case DeltaKind.Signature when _kind == BlockKind.Thinking:
                // The upstream's own signature has no field in this dialect: it is sealed into encrypted_content.
                _signature = (_signature ?? "") + value.ToString();
                break;
            default:
                break;
        }
    }

    public void OnBlockStop(int index)
    {
        if (!_open)
        {
            return;
        }

        _open = false;
        var text = _text.ToString();
        byte[] item;
        switch (_kind)
        {
            case BlockKind.Thinking:
                if (_info.ReasoningAsSummary)
                {
                    BeginPartEvent("response.reasoning_summary_text.done"u8, "summary_index"u8);
                    _json.WriteString("text"u8, text);
                    End();
                    BeginPartEvent("response.reasoning_summary_part.done"u8, "summary_index"u8);
                    _json.WritePropertyName("part"u8);
                    OutputItemWriter.WritePart(_json, "summary_text"u8, text);
                    End();
                }
                else
                {
                    BeginPartEvent("response.reasoning_text.done"u8, "content_index"u8);
                    _json.WriteString("text"u8, text);
                    End();
                    BeginPartEvent("response.content_part.done"u8, "content_index"u8);
                    _json.WritePropertyName("part"u8);
                    OutputItemWriter.WritePart(_json, "reasoning_text"u8, text);
                    End();
                }

                var sealedThinking = ReasoningItems.Sealed(_seal, _info, text, _signature);
                var id = _itemId;
                var summary = _info.ReasoningAsSummary;
                item = OutputItemWriter.Capture(w => OutputItemWriter.WriteReasoning(w, id, text, summary, sealedThinking, completed: true));
                break;
            case BlockKind.Text:
                BeginPartEvent("response.output_text.done"u8, "content_index"u8);
                _json.WriteString("text"u8, text);
                _json.WriteStartArray("logprobs"u8);
                _json.WriteEndArray();
                End();
                BeginPartEvent("response.content_part.done"u8, "content_index"u8);
                _json.WritePropertyName("part"u8);
                OutputItemWriter.WriteOutputText(_json, text);
                End();
                (_outputText ??= new StringBuilder()).Append(text);
                var messageId = _itemId;
                item = OutputItemWriter.Capture(w => OutputItemWriter.WriteMessage(w, messageId, text, completed: true));
                break;
            default:
                item = CloseCall(text);
                break;
        }

        BeginItemEvent("response.output_item.done"u8);
        _json.WriteRawValue(item, skipInputValidation: true);
        End();
        _items.Add(item);
    }

    private byte[] CloseCall(string arguments)
    {
        var tool = _tool!;
        string payload;
        if (tool.Freeform)
        {
            payload = OutputItemWriter.UnwrapFreeform(arguments.Length == 0 ? "{}" : arguments);
            BeginEvent("response.custom_tool_call_input.delta"u8);
            _json.WriteString("item_id"u8, _itemId);
            _json.WriteNumber("output_index"u8, _items.Count);
            _json.WriteString("delta"u8, payload);
            End();
            BeginEvent("response.custom_tool_call_input.done"u8);
            _json.WriteString("item_id"u8, _itemId);
            _json.WriteNumber("output_index"u8, _items.Count);
            _json.WriteString("input"u8, payload);
            End();
        }
        else
        {
            // Always a string that parses: the assembler has repaired the input into a JSON object.
            payload = arguments.Length == 0 ? "{}" : arguments;
            BeginEvent("response.function_call_arguments.done"u8);
            _json.WriteString("item_id"u8, _itemId);
            _json.WriteNumber("output_index"u8, _items.Count);
            _json.WriteString("name"u8, tool.Name);
            _json.WriteString("arguments"u8, payload);
            End();
        }

        var (id, callId) = (_itemId, _callId);
        return OutputItemWriter.Capture(w => OutputItemWriter.WriteCall(w, id, callId, tool, payload, completed: true));
    }

    public void OnMessageDelta(StopReason stopReason, string? stopSequence, Usage usage)
    {
        _stopReason = stopReason;
        _usage = usage;
    }

    public void OnMessageStop()
    {
        var incomplete = _stopReason is StopReason.MaxTokens or StopReason.ModelContextWindowExceeded;
        var state = incomplete
            ? new ResponseState("incomplete") { IncompleteReason = "max_output_tokens" }
            : ResponseState.Completed with { CompletedAt = _now() };
        var response = Finish(incomplete ? "response.incomplete"u8 : "response.completed"u8, state);
        _finished?.Invoke(_id, response, true);
    }

    public void OnPing()
    {
        BeginEvent("keepalive"u8);
        End();
    }

    public void OnError(ApiError error)
    {
        ArgumentNullException.ThrowIfNull(error);

        // Flat fields (the spec's shape, read by the .NET SDK) and the nested object real OpenAI sends (which makes
        // the openai npm SDK raise an APIError).
        BeginEvent("error"u8);
        var code = ResponseObjectWriter.ErrorCode(error);
        _json.WriteString("code"u8, code);
        _json.WriteString("message"u8, error.Message);
        WriteNullable("param"u8, error.Param);
        _json.WriteStartObject("error"u8);
        _json.WriteString("type"u8, OpenAIErrors.Instance.WireType(error.Kind));
        _json.WriteString("code"u8, code);
        _json.WriteString("message"u8, error.Message);
        WriteNullable("param"u8, error.Param);
        _json.WriteEndObject();
        End();
        _open = false;
        Finish("response.failed"u8, new ResponseState("failed") { Error = error });
    }

    /// <summary>Writes the terminal event and returns the response object's JSON (for the store).</summary>
    private byte[] Finish(ReadOnlySpan<byte> type, ResponseState state)
    {
        var reasoningTokens = ResponseObjectWriter.ReasoningTokens(_thinkingCharacters, _usage);
        var response = OutputItemWriter.Capture(w =>
            ResponseObjectWriter.Write(w, _info, _id, _createdAt, state, _items, _outputText?.ToString() ?? "", _usage, reasoningTokens));
        BeginEvent(type);
        _json.WritePropertyName("response"u8);
        _json.WriteRawValue(response, skipInputValidation: true);
        End();
        return response;
    }

    private void WriteLifecycle(ReadOnlySpan<byte> type, ResponseState state, bool withItems)
    {
        BeginEvent(type);
        _json.WritePropertyName("response"u8);
        ResponseObjectWriter.Write(_json, _info, _id, _createdAt, state, withItems ? _items : [], null, usage: null, reasoningTokens: 0);
        End();
    }

    private void WriteNullable(ReadOnlySpan<byte> name, string? value)
    {
        if (value is null)
        {
            _json.WriteNull(name);
        }
        else
        {
            _json.WriteString(name, value);
        }
    }

    /// <summary>Opens an item event: the type, sequence number and output index, then the <c>item</c> property name.</summary>
    private void BeginItemEvent(ReadOnlySpan<byte> type)
    {
        BeginEvent(type);
        _json.WriteNumber("output_index"u8, _items.Count);
        _json.WritePropertyName("item"u8);
    }

    /// <summary>Opens a part-level event of the current item: its id, output index and part index 0.</summary>
    private void BeginPartEvent(ReadOnlySpan<byte> type, ReadOnlySpan<byte> indexName)
    {
        BeginEvent(type);
        _json.WriteString("item_id"u8, _itemId);
        _json.WriteNumber("output_index"u8, _items.Count);
        _json.WriteNumber(indexName, 0);
    }

    private void BeginEvent(ReadOnlySpan<byte> type)
    {
        _output.Write("event: "u8);
        _output.Write(type);
        _output.Write("\ndata: "u8);
        _json.Reset();
        _json.WriteStartObject();
        _json.WriteString("type"u8, type);
        _json.WriteNumber("sequence_number"u8, _sequence++);
    }

    private void End()
    {
        _json.WriteEndObject();
        _json.Flush();
        _output.Write("\n\n"u8);
    }
}
