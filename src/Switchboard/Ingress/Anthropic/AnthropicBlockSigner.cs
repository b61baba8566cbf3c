using Switchboard.Canonical;
using Switchboard.Pipeline;

namespace Switchboard.Ingress.Anthropic;

/// <summary>
/// Puts the Messages API's own marks on canonical events on their way to an Anthropic writer: tool blocks get
/// <c>toolu_…</c> ids, and each thinking block Switchboard produced is signed at its close (Switchboard's keyed MAC
/// of exactly its text), so the thinking replay filter can recognise it when the client sends it back. A signature
/// the upstream supplied itself passes through unchanged.
/// </summary>
public sealed class AnthropicBlockSigner(IMessageStreamSink inner, ReadOnlySpan<byte> signatureKey) : IMessageStreamSink, IRawBlockSink, IServerToolSink, IDisposable
{
    private readonly ThinkingSignature _signature = new(signatureKey);
    private bool _inThinking;
    private bool _upstreamSigned;

    public void OnMessageStart(string messageId, string model, Usage usage) => inner.OnMessageStart(messageId, model, usage);

    public void OnBlockStart(int index, BlockKind kind, string? toolUseId, string? toolName)
    {
        _inThinking = kind == BlockKind.Thinking;
        _upstreamSigned = false;
        inner.OnBlockStart(index, kind, kind == BlockKind.ToolUse ? ToolUseIds.From(toolUseId) : toolUseId, toolName);
    }

    public void OnDelta(int index, DeltaKind kind, ReadOnlySpan<char> value)
    {
        if (kind == DeltaKind.Thinking)
        {
            _signature.Append(value);
        }
        else if (kind == DeltaKind.Signature)
        {
            _upstreamSigned = true;
        }

        inner.OnDelta(index, kind, value);
    }

    public void OnBlockStop(int index)
    {
        if (_inThinking)
        {
            // Finish also resets the MAC for the next thinking block.
            var own = _signature.Finish();
            if (!_upstreamSigned)
            {
                inner.OnDelta(index, DeltaKind.Signature, own);
            }

            _inThinking = false;
        }

        inner.OnBlockStop(index);
    }

    public void OnRawBlock(int index, RawBlock block) => (inner as IRawBlockSink)?.OnRawBlock(index, block);

    public void OnMessageDelta(StopReason stopReason, string? stopSequence, Usage usage) => inner.OnMessageDelta(stopReason, stopSequence, usage);

    public void OnMessageStop() => inner.OnMessageStop();

    public void OnPing() => inner.OnPing();

    public void OnError(ApiError error) => inner.OnError(error);

    public void OnServerBlock(int index, ContentBlock block) => (inner as IServerToolSink)?.OnServerBlock(index, block);

    public void OnCitation(int index, WebSearchCitation citation) => (inner as IServerToolSink)?.OnCitation(index, citation);

    public void Dispose() => _signature.Dispose();
}
