namespace Switchboard.Canonical;

/// <summary>
/// A sink that can write a block Switchboard does not interpret as its upstream's raw JSON: an Anthropic-compatible
/// upstream's <c>redacted_thinking</c> and server-tool blocks (<c>server_tool_use</c>, <c>*_tool_result</c>) for a
/// Messages API client, so they reach it unchanged and go back to that upstream on the next turn. The
/// <see cref="StreamAssembler"/> gives such blocks only to a sink that implements this; other sinks (the OpenAI
/// dialects have no place for them) never see them, and their block indices do not count them.
/// </summary>
public interface IRawBlockSink
{
    /// <summary>A whole block at <paramref name="index"/>: it opens and closes here, with nothing streamed into it.</summary>
    void OnRawBlock(int index, RawBlock block);
}
