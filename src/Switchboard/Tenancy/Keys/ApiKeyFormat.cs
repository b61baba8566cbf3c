using System.Security.Cryptography;

namespace Switchboard.Tenancy.Keys;

/// <summary>
/// Stored keys look like <c>sk-sb-&lt;id: 12 base62&gt;-&lt;secret: 40 base62&gt;</c>. The id is the public part
/// (lookups, logs, the ledger); the secret is 40 random base62 characters (~238 bits). Parsing is a length and
/// alphabet check, so malformed keys are refused without touching the store.
/// </summary>
public static class ApiKeyFormat
{
    public const string Prefix = "sk-sb-";

    public const int IdLength = 12;

    public const int SecretLength = 40;

    /// <summary>The whole key's length: prefix, id, dash, secret.</summary>
    public const int Length = 6 + IdLength + 1 + SecretLength;

    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>A new key and its id, from the system's cryptographic random number generator.</summary>
    public static (string Id, string Key) Generate()
    {
        var id = RandomNumberGenerator.GetString(Alphabet, IdLength);
        var secret = RandomNumberGenerator.GetString(Alphabet, SecretLength);
        return (id, Prefix + id + "-" + secret);
    }

    /// <summary>Whether <paramref name="presented"/> has the stored-key shape; if so, its id part.</summary>
    public static bool TryGetId(ReadOnlySpan<char> presented, out ReadOnlySpan<char> id)
    {
        id = default;
        if (presented.Length != Length || !presented.StartsWith(Prefix, StringComparison.Ordinal) || presented[Prefix.Length + IdLength] != '-'
            || !IsBase62(presented.Slice(Prefix.Length, IdLength)) || !IsBase62(presented[(Prefix.Length + IdLength + 1)..]))
        {
            return false;
        }

        id = presented.Slice(Prefix.Length, IdLength);
        return true;
    }

    /// <summary>Whether <paramref name="id"/> is a well-formed key id (12 base62 characters).</summary>
    public static bool IsId(ReadOnlySpan<char> id) => id.Length == IdLength && IsBase62(id);

    private static bool IsBase62(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
