using Switchboard.Ingress.OpenAIResponses;

namespace Switchboard.Tests.Ingress.OpenAIResponses;

public sealed class ReasoningSealTests
{
    private static readonly byte[] Secret = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    [Fact]
    public void Sealed_thinking_opens_to_the_same_text_and_is_not_readable_in_the_blob()
    {
        var seal = new ReasoningSeal(Secret);
        var blob = seal.Seal("The user wants ünïcode and a plan. Step 1 …");

        Assert.StartsWith("sbr1.", blob, StringComparison.Ordinal);
        Assert.DoesNotContain("plan", blob, StringComparison.Ordinal);
        Assert.Equal("The user wants ünïcode and a plan. Step 1 …", seal.Open(blob));
        Assert.Equal("The user wants ünïcode and a plan. Step 1 …", new ReasoningSeal(Secret).Open(blob));
    }

    [Fact]
    public void An_edited_foreign_or_malformed_blob_opens_to_nothing()
    {
        var seal = new ReasoningSeal(Secret);
        var blob = seal.Seal("secret reasoning");
        var edited = blob[..^2] + (blob[^2] == 'A' ? "B" : "A") + blob[^1];
        var otherSecret = new ReasoningSeal(new byte[32]);

        Assert.Null(seal.Open(edited));
        Assert.Null(otherSecret.Open(blob));
        Assert.Null(seal.Open("gAAAAABo-openai-encrypted-content"));
        Assert.Null(seal.Open("sbr1.%%%"));
        Assert.Null(seal.Open("sbr1."));
        Assert.Null(seal.Open(null));
    }

    [Fact]
    public void Sealing_the_same_text_twice_gives_different_blobs()
    {
        var seal = new ReasoningSeal(Secret);

        Assert.NotEqual(seal.Seal("same"), seal.Seal("same"));
    }

    [Fact]
    public void Upstream_signed_thinking_opens_with_its_signature_and_own_thinking_without_one()
    {
        var seal = new ReasoningSeal(Secret);
        var signed = seal.Seal("Plan: call the tool.", "EqQBsig/ünï==");
        var own = seal.Seal("Plan: call the tool.", upstreamSignature: null);

        Assert.StartsWith("sbr2.", signed, StringComparison.Ordinal);
        Assert.DoesNotContain("EqQB", signed, StringComparison.Ordinal);
        Assert.Equal(new SealedReasoning("Plan: call the tool.", "EqQBsig/ünï=="), seal.OpenReasoning(signed));
        Assert.Equal("Plan: call the tool.", seal.Open(signed));
        Assert.Equal(new SealedReasoning("Plan: call the tool.", null), seal.OpenReasoning(own));
        Assert.Null(new ReasoningSeal(new byte[32]).OpenReasoning(signed));
        // One character changed (the blob is random, so flip a fixed position, not a letter that may be absent).
        var edited = signed[..^2] + (signed[^2] == 'A' ? "B" : "A") + signed[^1];
        Assert.Null(seal.OpenReasoning(edited));

        // A v2 body under the v1 prefix does not open: the purposes differ.
        Assert.Null(seal.OpenReasoning("sbr1." + signed[5..]));
    }
}
