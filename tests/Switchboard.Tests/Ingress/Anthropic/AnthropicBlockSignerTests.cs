using Switchboard.Canonical;
using Switchboard.Ingress.Anthropic;
using Switchboard.Pipeline;
using Switchboard.Tests.Canonical;

namespace Switchboard.Tests.Ingress.Anthropic;

public sealed class AnthropicBlockSignerTests
{
    private static readonly byte[] Key = "signer-test-key"u8.ToArray();

    private readonly RecordingSink _sink = new();

    [Fact]
    public void Own_thinking_is_signed_before_its_block_stops_and_tool_ids_become_toolu_ids()
    {
        using var signer = new AnthropicBlockSigner(_sink, Key);
        var assembler = new StreamAssembler(signer);
        assembler.Start("msg_1", "m", default);
        assembler.AppendThinking("Let me ");
        assembler.AppendThinking("think.");
        assembler.AppendToolCall(0, "call_1", "get_weather", "{}");
        assembler.AppendToolCall(1, null, "now", "{}");
        assembler.Complete();

        var signature = _sink.Events.OfType<Delta>().Single(d => d.Kind == DeltaKind.Signature);
        Assert.Equal(0, signature.Index);
        Assert.Equal(new BlockStopped(0), _sink.Events[_sink.Events.IndexOf(signature) + 1]);
        Assert.True(ThinkingSignature.Verify(Key, "Let me think.", signature.Value));
        Assert.False(ThinkingSignature.Verify(Key, "Let me think!", signature.Value));
        var tools = _sink.Events.OfType<BlockStarted>().Where(b => b.Kind == BlockKind.ToolUse).ToArray();
        Assert.Equal("toolu_call_1", tools[0].ToolUseId);
        Assert.Matches("^toolu_[A-Za-z0-9]{24}$", tools[1].ToolUseId);
    }

    [Fact]
    public void Each_thinking_block_is_signed_alone()
    {
        using var signer = new AnthropicBlockSigner(_sink, Key);
        var assembler = new StreamAssembler(signer);
        assembler.Start("msg_1", "m", default);
        assembler.AppendThinking("a");
        assembler.AppendText("b");
        assembler.AppendThinking("c");
        assembler.Complete();

        var signatures = _sink.Events.OfType<Delta>().Where(d => d.Kind == DeltaKind.Signature).ToArray();
        Assert.Equal([0, 2], signatures.Select(s => s.Index));
        Assert.Equal(ThinkingSignature.Sign(Key, "a"), signatures[0].Value);
        Assert.Equal(ThinkingSignature.Sign(Key, "c"), signatures[1].Value);
    }

    [Fact]
    public void A_signature_the_upstream_supplied_passes_through_and_none_is_added()
    {
        using var signer = new AnthropicBlockSigner(_sink, Key);
        signer.OnBlockStart(0, BlockKind.Thinking, null, null);
        signer.OnDelta(0, DeltaKind.Thinking, "x");
        signer.OnDelta(0, DeltaKind.Signature, "upstream-sig");
        signer.OnBlockStop(0);

        var signature = Assert.Single(_sink.Events.OfType<Delta>(), d => d.Kind == DeltaKind.Signature);
        Assert.Equal("upstream-sig", signature.Value);
    }
}
