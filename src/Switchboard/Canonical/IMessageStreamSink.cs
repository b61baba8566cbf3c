namespace Switchboard.Canonical;

public enum BlockKind
{
    Text,
    Thinking,
    ToolUse,
}

public enum DeltaKind
{
    Text,
    Thinking,
    Signature,
    InputJson,
}

/// <summary>
/// Receives a message as canonical events, already in Anthropic order: one block open at a time, indices
/// counting up from 0. <see cref="StreamAssembler"/> is the only producer that enforces that rule; SSE writers and
/// the non-streaming accumulator are consumers. Calls are synchronous; the driver flushes. A
/// <see cref="DeltaKind.Signature"/> delta carries a signature an upstream supplied itself; signatures a front door
/// adds of its own are its business.
/// </summary>
public interface IMessageStreamSink
{
    void OnMessageStart(string messageId, string model, Usage usage);

    /// <summary>
    /// A block opens. For tool blocks <paramref name="toolName"/> is set and <paramref name="toolUseId"/> is the
    /// upstream's own call id, or null when it gave none: a front door maps it to its dialect's id format.
    /// </summary>
    void OnBlockStart(int index, BlockKind kind, string? toolUseId, string? toolName);

    void OnDelta(int index, DeltaKind kind, ReadOnlySpan<char> value);

    void OnBlockStop(int index);

    void OnMessageDelta(StopReason stopReason, string? stopSequence, Usage usage);

    void OnMessageStop();

    void OnPing();

    void OnError(ApiError error);
}
