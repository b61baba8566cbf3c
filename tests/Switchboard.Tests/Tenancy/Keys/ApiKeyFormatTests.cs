using Switchboard.Tenancy.Keys;

namespace Switchboard.Tests.Tenancy.Keys;

public sealed class ApiKeyFormatTests
{
    [Fact]
    public void Generated_keys_have_the_stored_key_shape_and_differ()
    {
        var (id, key) = ApiKeyFormat.Generate();
        var (otherId, other) = ApiKeyFormat.Generate();

        Assert.Matches("^sk-sb-[0-9A-Za-z]{12}-[0-9A-Za-z]{40}$", key);
        Assert.Equal(id, key[6..18]);
        Assert.NotEqual(id, otherId);
        Assert.NotEqual(key[19..], other[19..]);
        Assert.True(ApiKeyFormat.TryGetId(key, out var parsed));
        Assert.Equal(id, parsed.ToString());
    }

    [Fact]
    public void Secrets_use_the_whole_base62_alphabet()
    {
        var seen = new HashSet<char>();
        for (var i = 0; i < 200; i++)
        {
            seen.UnionWith(ApiKeyFormat.Generate().Key[19..]);
        }

        Assert.Equal(62, seen.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("sk-sb-")]
    [InlineData("sk-sb-abcdefghijkl-0123456789012345678901234567890123456789x")]
    [InlineData("sk-sb-abcdefghijkl-012345678901234567890123456789012345678")]
    [InlineData("sk-sb-abcdefghijk!-0123456789012345678901234567890123456789")]
    [InlineData("sk-sb-abcdefghijkl_0123456789012345678901234567890123456789")]
    [InlineData("sk-sx-abcdefghijkl-0123456789012345678901234567890123456789")]
    [InlineData("sk-sb-abcdefghijkl-01234567890123456789012345678901234567-9")]
    [InlineData("SK-SB-abcdefghijkl-0123456789012345678901234567890123456789")]
    public void Malformed_keys_are_refused_without_a_lookup(string presented)
    {
        Assert.False(ApiKeyFormat.TryGetId(presented, out _));
    }

    [Fact]
    public void The_digest_is_the_sha256_of_the_whole_key_and_matches_only_that_key()
    {
        var (_, key) = ApiKeyFormat.Generate();
        var hex = KeyDigest.Hex(key);

        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key))), hex);
        Assert.True(KeyDigest.Matches(key, KeyDigest.Parse(hex)));
        var tampered = key[..^1] + (key[^1] == 'a' ? 'b' : 'a');
        Assert.False(KeyDigest.Matches(tampered, KeyDigest.Parse(hex)));
        Assert.Null(KeyDigest.Parse("not-hex"));
        Assert.False(KeyDigest.Matches(key, KeyDigest.Parse(null)));
    }
}
