using System.Text;

namespace Switchboard.Tests.Egress.OpenAIChat.Profiles.Golden;

/// <summary>
/// Every family's raw output becomes the same Anthropic blocks however it arrives: as one completion, as a stream
/// whose body is cut at any byte (inside multi-byte characters too), and as text in pieces of any size.
/// </summary>
public sealed class ProfileOutputTests
{
    private static readonly Dictionary<string, ProfileOutputCase> Cases = new[]
    {
        GptOssOutputCases.All, MiniMaxOutputCases.All, QwenOutputCases.All, DeepSeekOutputCases.All,
        GlmOutputCases.All, KimiOutputCases.All, LlamaOutputCases.All, MistralOutputCases.All,
    }.SelectMany(d => d).ToDictionary();

    public static TheoryData<string> Names => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void Completion_becomes_the_expected_blocks(string name)
    {
        var c = Cases[name];

        Assert.Equal(c.Expected, GoldenRun.Completion(c.Raw, c.NewParser()));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Stream_cut_at_every_byte_becomes_the_expected_blocks(string name)
    {
        var c = Cases[name];
        var body = GoldenRun.StreamBody(GoldenRun.Chop(c.Raw, 7));

        for (var split = 1; split < body.Length; split++)
        {
            var blocks = await GoldenRun.StreamAsync(new Switchboard.Tests.Egress.OpenAIChat.TwoPieceStream(body, split), c.NewParser());

            Assert.True(c.Expected.SequenceEqual(blocks), $"split at byte {split} ({Around(body, split)}): {string.Join(" | ", blocks)}");
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Text_split_at_every_character_becomes_the_expected_blocks(string name)
    {
        var c = Cases[name];

        for (var split = 0; split <= c.Raw.Length; split++)
        {
            var blocks = GoldenRun.Direct([c.Raw[..split], c.Raw[split..]], c.NewParser());

            Assert.True(c.Expected.SequenceEqual(blocks), $"split at char {split}: {string.Join(" | ", blocks)}");
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Text_one_character_at_a_time_becomes_the_expected_blocks(string name)
    {
        var c = Cases[name];

        Assert.Equal(c.Expected, GoldenRun.Direct(c.Raw.Select(ch => ch.ToString()), c.NewParser()));
    }

    private static string Around(byte[] body, int split) =>
        Encoding.UTF8.GetString(body, Math.Max(0, split - 12), Math.Min(24, body.Length - Math.Max(0, split - 12)));
}
