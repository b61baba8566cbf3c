using System.Text.Json;
using Switchboard.Canonical;

namespace Switchboard.Egress.Anthropic;

/// <summary>
/// Reads a Messages API answer (stream events one at a time, or a whole message) into a <see cref="StreamAssembler"/>
/// for a door of another dialect: text, thinking with the upstream's signature, tool calls, stop reason and usage
/// (cache reads and writes included). Blocks no other dialect can show (<c>redacted_thinking</c>, server-tool
/// blocks, future types) are left out and counted in <see cref="SkippedBlocks"/> for the log.
/// </summary>
internal sealed class MessagesContentReader(StreamAssembler target)
{
    private readonly Dictionary<int, BlockKind?> _blocks = [];
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
                (SkippedBlocks ??= []).Add(type ?? "(no type)");
                break;
        }
    }

    private void Delta(int index, ReadOnlySpan<byte> deltaJson)
    {
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
