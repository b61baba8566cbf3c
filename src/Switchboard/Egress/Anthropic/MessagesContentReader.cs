using System.Text.Json;
using Switchboard.Canonical;

namespace Switchboard.Egress.Anthropic;

/// <summary>
/// Reads a Messages API answer (stream events one at a time, or a whole message) into a <see cref="StreamAssembler"/>
/// for a door of another dialect: text, thinking with the upstream's signature, tool calls, stop reason and usage
/// (cache reads and writes included). Blocks Switchboard does not interpret (<c>redacted_thinking</c>, server-tool
/// blocks, future types) are kept whole as their raw JSON (a streamed block's input deltas joined into it) for a door
/// that can write them (the Messages door: they reach its client unchanged and go back to this upstream on the next
/// turn); for any other door they are left out and counted in <see cref="SkippedBlocks"/> for the log.
/// </summary>
internal sealed class MessagesContentReader(StreamAssembler target)
{
    private const string RawDialect = "anthropic";

    private readonly Dictionary<int, BlockKind?> _blocks = [];

    // A streamed block kept raw, until its stop: its start JSON and the input deltas that follow it.
    private readonly Dictionary<int, (string Type, string Start, System.Text.StringBuilder Input)> _raw = [];
    private Usage _usage;

    /// <summary>The types of blocks left out, for one log line.</summary>
    public List<string>? SkippedBlocks { get; private set; }

    public bool SawStop { get; private set; }

    public bool SawStart { get; private set; }

    /// <summary>Applies one stream event; an <c>error</c> event throws the upstream's error.</summary>
    public void OnEvent(ReadOnlySpan<byte> data, in MessagesEvent e, string upstream)
    {
        switch (e.Type)
        {
            case MessagesEventType.MessageStart:
                SawStart = true;
                _usage = AnthropicUsageReader.FromMessage(data[e.Message], _usage);
                target.SetUsage(_usage);
                break;
            case MessagesEventType.ContentBlockStart:
                StartBlock(e.Index, data[e.ContentBlock], streamed: true);
                break;
            case MessagesEventType.ContentBlockDelta:
                Delta(e.Index, data[e.Delta]);
                break;
            case MessagesEventType.ContentBlockStop:
                if (_raw.Remove(e.Index, out var raw))
                {
                    AppendRaw(raw.Type, raw.Input.Length == 0 ? raw.Start : WithInput(raw.Start, raw.Input.ToString()));
                }

                target.EndBlock();
                break;
            case MessagesEventType.MessageDelta:
                StopReasonOf(data[e.Delta]);
                _usage = AnthropicUsageReader.Merge(data[e.Usage], _usage);
                target.SetUsage(_usage);
                break;
            case MessagesEventType.MessageStop:
                SawStop = true;
                break;
            case MessagesEventType.Error:
                throw AnthropicErrorReader.FromEvent(data, upstream);
        }
    }

    /// <summary>Reads a whole <c>message</c> object.</summary>
    public void OnMessage(JsonElement message)
    {
        SawStart = SawStop = true;
        if (message.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var block in content.EnumerateArray())
            {
                StartBlock(index, JsonMarshalRaw(block), streamed: false);
                target.EndBlock();
                index++;
            }
        }

        if (message.TryGetProperty("stop_reason", out var stop) && stop.ValueKind == JsonValueKind.String)
        {
            SetStop(stop.GetString()!, message.TryGetProperty("stop_sequence", out var sequence) && sequence.ValueKind == JsonValueKind.String ? sequence.GetString() : null);
        }

        if (message.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            _usage = AnthropicUsageReader.Merge(JsonMarshalRaw(usage), _usage);
            target.SetUsage(_usage);
        }
    }

    private static ReadOnlySpan<byte> JsonMarshalRaw(JsonElement element) => System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(element);

    private void StartBlock(int index, ReadOnlySpan<byte> blockJson, bool streamed)
    {
        var reader = new Utf8JsonReader(blockJson);
        using var document = JsonDocument.ParseValue(ref reader);
        var block = document.RootElement;
        var type = block.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        switch (type)
        {
            case "text":
                _blocks[index] = BlockKind.Text;
                target.EndBlock();
                target.AppendText(String(block, "text"));
                break;
            case "thinking":
                _blocks[index] = BlockKind.Thinking;
                target.EndBlock();
                target.AppendThinking(String(block, "thinking"));
                target.AppendThinkingSignature(String(block, "signature"));
                break;
            case "tool_use":
                _blocks[index] = BlockKind.ToolUse;
                var input = block.TryGetProperty("input", out var value) ? value : default;

                // A stream starts the input as {} and sends it in deltas; a whole message holds it complete.
                var arguments = !streamed && input.ValueKind == JsonValueKind.Object ? input.GetRawText() : "";
                target.AppendToolCall(index, String(block, "id"), String(block, "name"), arguments);
                break;
            default:
                _blocks[index] = null;
                if (type is null)
                {
                    (SkippedBlocks ??= []).Add("(no type)");
                }
                else if (streamed)
                {
                    _raw[index] = (type, block.GetRawText(), new System.Text.StringBuilder());
                }
                else
                {
                    AppendRaw(type, block.GetRawText());
                }

                break;
        }
    }

    private void AppendRaw(string type, string json)
    {
        if (!target.AppendRawBlock(new RawBlock(RawDialect, type, json)))
        {
            (SkippedBlocks ??= []).Add(type);
        }
    }

    /// <summary>The block's start JSON with <c>input</c> set to what its deltas sent (left as started when that is no JSON).</summary>
    private static string WithInput(string start, string input)
    {
        try
        {
            var block = System.Text.Json.Nodes.JsonNode.Parse(start)!.AsObject();
            block["input"] = System.Text.Json.Nodes.JsonNode.Parse(input);
            return block.ToJsonString();
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            return start;
        }
    }

    private void Delta(int index, ReadOnlySpan<byte> deltaJson)
    {
        if (_raw.TryGetValue(index, out var raw))
        {
            var rawReader = new Utf8JsonReader(deltaJson);
            using var rawDelta = JsonDocument.ParseValue(ref rawReader);
            if (rawDelta.RootElement.TryGetProperty("type", out var rawType) && rawType.ValueEquals("input_json_delta"u8))
            {
                raw.Input.Append(String(rawDelta.RootElement, "partial_json"));
            }

            return;
        }

        if (!_blocks.TryGetValue(index, out var kind) || kind is null)
        {
            return;
        }

        var reader = new Utf8JsonReader(deltaJson);
        using var document = JsonDocument.ParseValue(ref reader);
        var delta = document.RootElement;
        var type = delta.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        switch (type)
        {
            case "text_delta" when kind == BlockKind.Text:
                target.AppendText(String(delta, "text"));
                break;
            case "thinking_delta" when kind == BlockKind.Thinking:
                target.AppendThinking(String(delta, "thinking"));
                break;
            case "signature_delta" when kind == BlockKind.Thinking:
                target.AppendThinkingSignature(String(delta, "signature"));
                break;
            case "input_json_delta" when kind == BlockKind.ToolUse:
                target.AppendToolCall(index, null, null, String(delta, "partial_json"));
                break;
        }
    }

    private void StopReasonOf(ReadOnlySpan<byte> deltaJson)
    {
        if (deltaJson.IsEmpty)
        {
            return;
        }

        var reader = new Utf8JsonReader(deltaJson);
        using var document = JsonDocument.ParseValue(ref reader);
        var delta = document.RootElement;
        if (delta.TryGetProperty("stop_reason", out var stop) && stop.ValueKind == JsonValueKind.String)
        {
            SetStop(stop.GetString()!, delta.TryGetProperty("stop_sequence", out var sequence) && sequence.ValueKind == JsonValueKind.String ? sequence.GetString() : null);
        }
    }

    private void SetStop(string reason, string? sequence) => target.SetStop(
        reason switch
        {
            "max_tokens" => StopReason.MaxTokens,
            "stop_sequence" => StopReason.StopSequence,
            "tool_use" => StopReason.ToolUse,
            "refusal" => StopReason.Refusal,
            "pause_turn" => StopReason.PauseTurn,
            "model_context_window_exceeded" => StopReason.ModelContextWindowExceeded,
            _ => StopReason.EndTurn,
        },
        sequence);

    private static string String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
}
