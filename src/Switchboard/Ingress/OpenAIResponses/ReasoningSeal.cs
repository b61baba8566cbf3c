using System.Security.Cryptography;
using System.Text;

namespace Switchboard.Ingress.OpenAIResponses;

/// <summary>
/// The <c>encrypted_content</c> of a reasoning item: the model's thinking sealed with AES-256-GCM under a key derived
/// from the thinking-signature secret, so only Switchboard (any process sharing the secret) can read it back, and an
/// edited or foreign blob is recognised and dropped rather than shown to the model. Codex replays it on every turn
/// with <c>store: false</c>; opening it gives the model its earlier reasoning back.
/// Format: <c>sbr1.</c> + base64url(nonce ‖ ciphertext ‖ tag).
/// </summary>
public sealed class ReasoningSeal
{
    private const string Prefix = "sbr1.";
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private static readonly byte[] Purpose = "switchboard responses reasoning v1"u8.ToArray();
    private readonly byte[] _key;

    /// <param name="thinkingSecret">The thinking-signature secret (<c>ThinkingKey.Value</c>).</param>
    public ReasoningSeal(ReadOnlySpan<byte> thinkingSecret) =>
        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, thinkingSecret.ToArray(), 32, salt: [], info: Purpose);

    public string Seal(string thinking)
    {
        ArgumentNullException.ThrowIfNull(thinking);
        var plain = Encoding.UTF8.GetBytes(thinking);
        var sealedBytes = new byte[NonceSize + plain.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceSize, plain.Length), sealedBytes.AsSpan(NonceSize + plain.Length), Purpose);
        return Prefix + Base64Url(sealedBytes);
    }

    /// <summary>The thinking sealed in <paramref name="blob"/>, or null when it is not Switchboard's or was changed.</summary>
    public string? Open(string? blob)
    {
        if (blob is null || !blob.StartsWith(Prefix, StringComparison.Ordinal) || !TryDecode(blob.AsSpan(Prefix.Length), out var bytes)
            || bytes.Length < NonceSize + TagSize)
        {
            return null;
        }

        var length = bytes.Length - NonceSize - TagSize;
        var plain = new byte[length];
        try
        {
            using var aes = new AesGcm(_key, TagSize);
            aes.Decrypt(bytes.AsSpan(0, NonceSize), bytes.AsSpan(NonceSize, length), bytes.AsSpan(NonceSize + length), plain, Purpose);
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }

        return Encoding.UTF8.GetString(plain);
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryDecode(ReadOnlySpan<char> text, out byte[] bytes)
    {
        var padded = text.ToString().Replace('-', '+').Replace('_', '/');
        padded += (padded.Length % 4) switch { 2 => "==", 3 => "=", _ => "" };
        bytes = new byte[padded.Length];
        if (Convert.TryFromBase64String(padded, bytes, out var written))
        {
            bytes = bytes[..written];
            return true;
        }

        bytes = [];
        return false;
    }
}
