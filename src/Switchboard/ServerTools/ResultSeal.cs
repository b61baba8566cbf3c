using System.Security.Cryptography;
using System.Text;

namespace Switchboard.ServerTools;

/// <summary>
/// Seals what a server tool gave the model (a search result's text) into the <c>encrypted_content</c> the client
/// keeps and sends back: AES-GCM under a key derived from the thinking secret (so every replica that verifies
/// thinking signatures opens it too). The client can neither read it nor forge what the model is told on a later turn.
/// </summary>
public sealed class ResultSeal
{
    private const string Prefix = "sbw1.";
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private static readonly byte[] Purpose = "switchboard server tool result v1"u8.ToArray();
    private readonly byte[] _key;

    public ResultSeal(ReadOnlySpan<byte> thinkingSecret) =>
        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, thinkingSecret.ToArray(), 32, salt: [], info: Purpose);

    public string Seal(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var plain = Encoding.UTF8.GetBytes(text);
        var sealedBytes = new byte[NonceSize + plain.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceSize, plain.Length), sealedBytes.AsSpan(NonceSize + plain.Length), Purpose);
        return Prefix + Convert.ToBase64String(sealedBytes);
    }

    /// <summary>
    /// Whether the value is in Switchboard's seal format at all: another provider's <c>encrypted_content</c> (a
    /// conversation begun on Anthropic) is not, and is not taken for an altered one of Switchboard's.
    /// </summary>
    public static bool IsSwitchboardSeal(string? value) => value is not null && value.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The sealed text, or null when the value is not one of this key's seals or was altered.</summary>
    public string? Open(string? value)
    {
        if (value is null || !value.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var bytes = new byte[value.Length];
        if (!Convert.TryFromBase64String(value[Prefix.Length..], bytes, out var written) || written < NonceSize + TagSize)
        {
            return null;
        }

        var length = written - NonceSize - TagSize;
        var plain = new byte[length];
        try
        {
            using var aes = new AesGcm(_key, TagSize);
            aes.Decrypt(bytes.AsSpan(0, NonceSize), bytes.AsSpan(NonceSize, length), bytes.AsSpan(NonceSize + length, TagSize), plain, Purpose);
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }

        return Encoding.UTF8.GetString(plain);
    }
}
