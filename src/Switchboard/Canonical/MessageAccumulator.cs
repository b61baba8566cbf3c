using System.Text;
using System.Text.Json;

namespace Switchboard.Canonical;

/// <summary>Builds a complete <see cref="MessageResponse"/> from canonical events (the non-streaming path).</summary>
public sealed class MessageAccumulator : IMessageStreamSink, ILogprobsSink, IRawBlockSink, IServerToolSink
{
    private readonly List<ContentBlock> _content = [];
    private readonly StringBuilder _buffer = new();
    private string _id = "";
    private string _model = "";
    private BlockKind _kind;
    private string? _toolId;
    private string? _toolName;
    private string _signature = "";
    private StopReason _stopReason = StopReason.EndTurn;
    private string? _stopSequence;
    private Usage _usage;
    private List<JsonElement>? _logprobs;
    private List<WebSearchCitation>? _citations;

    public ApiError? Error { get; private set; }

    public MessageResponse ToResponse() => new()
    {
        Id = _id,
        Model = _model,
        Content = _content,
        StopReason = _stopReason,
        StopSequence = _stopSequence,
        Usage = _usage,
        Logprobs = _logprobs,
    };

    public void OnMessageStart(string messageId, string model, Usage usage)
    {
        _id = messageId;
        _model = model;
        _usage = usage;
    }

    public void OnBlockStart(int index, BlockKind kind, string? toolUseId, string? toolName)
    {
        _kind = kind;
        _toolId = toolUseId;
        _toolName = toolName;
        _signature = "";
        _citations = null;
        _buffer.Clear();
    }

    public void OnDelta(int index, DeltaKind kind, ReadOnlySpan<char> value)
    {
        if (kind == DeltaKind.Signature)
        {
            _signature = value.ToString();
        }
        else
        {
            _buffer.Append(value);
        }
    }

    public void OnBlockStop(int index)
    {
        var text = _buffer.ToString();
        _content.Add(_kind switch
        {
            BlockKind.Thinking => new ThinkingBlock(text, _signature),
            BlockKind.ToolUse => new ToolUseBlock(_toolId ?? "", _toolName!, text),
            _ when _citations is { } citations => new CitedTextBlock(text, citations),
            _ => new TextBlock(text),
        });
    }

    public void OnRawBlock(int index, RawBlock block) => _content.Add(block);

    public void OnServerBlock(int index, ContentBlock block) => _content.Add(block);

    public void OnCitation(int index, WebSearchCitation citation) => (_citations ??= []).Add(citation);

    public void OnMessageDelta(StopReason stopReason, string? stopSequence, Usage usage)
    {
        _stopReason = stopReason;
        _stopSequence = stopSequence;
        _usage = usage;
    }

    public void OnMessageStop()
    {
    }

    public void OnPing()
    {
    }

    public void OnError(ApiError error) => Error = error;

    public void OnLogprobs(JsonElement entries)
    {
        if (entries.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        _logprobs ??= [];
        foreach (var entry in entries.EnumerateArray())
        {
            _logprobs.Add(entry);
        }
    }
}
