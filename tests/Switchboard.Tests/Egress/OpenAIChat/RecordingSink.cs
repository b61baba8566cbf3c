using System.Text;
using Switchboard.Canonical;

namespace Switchboard.Tests.Egress.OpenAIChat;

/// <summary>Builds the response through the real accumulator and keeps a log of every event, deltas included.</summary>
internal sealed class RecordingSink : IMessageStreamSink
{
    private readonly MessageAccumulator _accumulator = new();
    private readonly StringBuilder _log = new();

    public string Log => _log.ToString();

    public MessageResponse ToResponse() => _accumulator.ToResponse();

    public void OnMessageStart(string messageId, string model, Usage usage)
    {
        _log.Append("start|");
        _accumulator.OnMessageStart(messageId, model, usage);
    }

    public void OnBlockStart(int index, BlockKind kind, string? toolUseId, string? toolName)
    {
        _log.Append($"open {index} {kind} {toolUseId} {toolName}|");
        _accumulator.OnBlockStart(index, kind, toolUseId, toolName);
    }

    public void OnDelta(int index, DeltaKind kind, ReadOnlySpan<char> value)
    {
        _log.Append($"delta {index} {kind} ").Append(value).Append('|');
        _accumulator.OnDelta(index, kind, value);
    }

    public void OnBlockStop(int index)
    {
        _log.Append($"stop {index}|");
        _accumulator.OnBlockStop(index);
    }

    public void OnMessageDelta(StopReason stopReason, string? stopSequence, Usage usage)
    {
        _log.Append($"message {stopReason} {stopSequence} {usage}|");
        _accumulator.OnMessageDelta(stopReason, stopSequence, usage);
    }

    public void OnMessageStop()
    {
        _log.Append("end|");
        _accumulator.OnMessageStop();
    }

    public void OnPing() => _accumulator.OnPing();

    public void OnError(ApiError error)
    {
        _log.Append($"error {error}|");
        _accumulator.OnError(error);
    }
}
