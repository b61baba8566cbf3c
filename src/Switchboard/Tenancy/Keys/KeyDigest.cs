using System.Security.Cryptography;
using System.Text;

namespace Switchboard.Tenancy.Keys;

/// <summary>
/// The only form of a stored key that is kept: the SHA-256 of the whole key, as lower-case hex in the store.
/// A presented key is hashed on the stack and compared in constant time.
/// </summary>
public static class KeyDigest
{
    public const int Size = 32;

    /// <summary>The stored form of <paramref name="key"/>: SHA-256 of its UTF-8 bytes, lower-case hex.</summary>
    public static string Hex(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>The stored hex digest as bytes, or null when it is not a SHA-256 hex digest (then nothing matches it).</summary>
    public static byte[]? Parse(string? hex)
    {
        if (hex is not { Length: Size * 2 })
        {
            return null;
        }

        try
        {
            return Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Whether <paramref name="presented"/> (a key in the stored-key format, ASCII) hashes to <paramref name="digest"/>.</summary>
    public static bool Matches(ReadOnlySpan<char> presented, ReadOnlySpan<byte> digest)
    {
        if (presented.Length != ApiKeyFormat.Length || digest.Length != Size)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[ApiKeyFormat.Length];
        var written = Encoding.ASCII.GetBytes(presented, bytes);
        Span<byte> hash = stackalloc byte[Size];
        SHA256.HashData(bytes[..written], hash);
        return CryptographicOperations.FixedTimeEquals(hash, digest);
    }
}
