using System.Text;
using Switchboard.Canonical;

namespace Switchboard.ServerTools;

/// <summary>
/// Receives one model turn of the loop (from that turn's own <see cref="StreamAssembler"/>) and passes it on into
/// the request's assembler, which keeps one message and one block numbering across turns: text and thinking as they
/// arrive (citation markers turned into citations), the client's own tool calls under call indices of their own,
/// while calls of the loop's functions are kept here for the loop to run. It also keeps the turn whole, as the
/// model wrote it, for the next turn's history.
/// </summary>
internal sealed class TurnSink(StreamAssembler target, int turn, Func<string?, bool> isLoopFunction, CitationMarkers? markers, Func<int, WebSearchCitation?> cite)
    : IMessageStreamSink
{
    private readonly MessageAccumulator _turn = new();
    private StringBuilder? _capture;
    private string? _captureId;
    private string? _captureName;
    private int _clientCall = -1;

    /// <summary>The loop's function calls of this turn: the function, the model's call id (or null) and the arguments' JSON.</summary>
    public List<(string Name, string? Id, string Arguments)> Calls { get; } = [];

    public bool HasClientToolCalls { get; private set; }

    public StopReason StopReason { get; private set; } = StopReason.EndTurn;

    public string? StopSequence { get; private set; }

    public Usage Usage { get; private set; }

    /// <summary>The turn as the model wrote it (markers included), for the conversation sent next.</summary>
    public IReadOnlyList<ContentBlock> Content => _turn.ToResponse().Content;

    public void OnMessageStart(string messageId, string model, Usage usage)
    {
    }

    public void OnBlockStart(int index, BlockKind kind, string? toolUseId, string? toolName)
    {
        _turn.OnBlockStart(index, kind, toolUseId, toolName);
        if (kind == BlockKind.ToolUse)
        {
            if (isLoopFunction(toolName))
            {
                _capture = new StringBuilder();
                _captureId = toolUseId;
                _captureName = toolName;
                return;
            }

            HasClientToolCalls = true;
            _clientCall++;
            target.AppendToolCall(CallIndex, toolUseId, toolName, []);
            return;
        }

        // Keeps the upstream's block boundaries (two thinking blocks stay two).
        target.EndBlock();
    }

    public void OnDelta(int index, DeltaKind kind, ReadOnlySpan<char> value)
    {
        _turn.OnDelta(index, kind, value);
        switch (kind)
        {
            case DeltaKind.Text when markers is not null:
                markers.Feed(value, text => target.AppendText(text), Cite);
                break;
            case DeltaKind.Text:
                target.AppendText(value);
                break;
            case DeltaKind.Thinking:
                target.AppendThinking(value);
                break;
            case DeltaKind.Signature:
                target.AppendThinkingSignature(value);
                break;
            case DeltaKind.InputJson when _capture is not null:
                _capture.Append(value);
                break;
            case DeltaKind.InputJson:
                target.AppendToolCall(CallIndex, null, null, value);
                break;
        }
    }

    public void OnBlockStop(int index)
    {
        _turn.OnBlockStop(index);
        markers?.Flush(text => target.AppendText(text));
        if (_capture is not null)
        {
            Calls.Add((_captureName!, _captureId, _capture.ToString()));
            _capture = null;
            _captureId = null;
        }
    }

    public void OnMessageDelta(StopReason stopReason, string? stopSequence, Usage usage)
    {
        StopReason = stopReason;
        StopSequence = stopSequence;
        Usage = usage;
    }

    public void OnMessageStop()
    {
    }

    public void OnPing()
    {
    }

    public void OnError(ApiError error)
    {
    }

    /// <summary>Call indices per turn, so one turn's calls never join another's in the request's assembler.</summary>
    private int CallIndex => (turn * 1000) + _clientCall;

    private void Cite(int number)
    {
        if (cite(number) is { } citation)
        {
            target.AppendCitation(citation);
        }
    }
}
