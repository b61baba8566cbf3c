using Switchboard.ServerTools;

namespace Switchboard.Tests.ServerTools;

public sealed class ResultSealTests
{
    private static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    [Fact]
    public void A_sealed_text_opens_with_the_same_key_only_and_hides_its_text()
    {
        var seal = new ResultSeal(Key);
        var sealedText = seal.Seal("The answer is 42 — ünïcode");

        Assert.DoesNotContain("answer", sealedText, StringComparison.Ordinal);
        Assert.Equal("The answer is 42 — ünïcode", seal.Open(sealedText));
        Assert.Null(new ResultSeal([.. Key.Reverse()]).Open(sealedText));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sbw1.")]
    [InlineData("sbw1.!!!")]
    [InlineData("plain text")]
    public void Anything_not_sealed_here_does_not_open(string? value) => Assert.Null(new ResultSeal(Key).Open(value));

    [Fact]
    public void Only_values_in_the_seal_format_count_as_Switchboard_seals()
    {
        Assert.True(ResultSeal.IsSwitchboardSeal(new ResultSeal(Key).Seal("x")));
        Assert.False(ResultSeal.IsSwitchboardSeal("EqQBCkYIBRgCKkB-anthropic-result"));
        Assert.False(ResultSeal.IsSwitchboardSeal(null));
    }

    [Fact]
    public void An_altered_seal_does_not_open()
    {
        var seal = new ResultSeal(Key);
        var sealedText = seal.Seal("The answer is 42");
        var i = sealedText.Length / 2;
        var altered = sealedText[..i] + (sealedText[i] == 'A' ? 'B' : 'A') + sealedText[(i + 1)..];

        Assert.Null(seal.Open(altered));
    }
}
