using System.Security.Cryptography;
using System.Text;

namespace Switchboard.Ingress.OpenAIResponses;

/// <summary>
/// The <c>encrypted_content</c> of a reasoning item: the model's thinking sealed with AES-256-GCM under a key derived
/// from the thinking-signature secret, so only Switchboard (any process sharing the secret) can read it back, and an
/// edited or foreign blob is recognised and dropped rather than shown to the model. Codex replays it on every turn
/// with <c>store: false</c>; opening it gives the model its earlier reasoning back.
/// Thinking an upstream signed itself (an Anthropic-compatible upstream) is sealed together with that signature, so
/// on the next turn the block goes back to that kind of upstream with its own signature, and to no other.
/// Formats: <c>sbr1.</c> + base64url(nonce ‖ ciphertext ‖ tag) of the thinking (Switchboard's own reasoning), and
/// <c>sbr2.</c> + the same of (signature length, 4 bytes big-endian ‖ signature ‖ thinking), all UTF-8.
/// </summary>
public sealed class ReasoningSeal
{
    private const string Prefix = "sbr1.";
    private const string SignedPrefix = "sbr2.";
    private const int LengthSize = 4;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private static readonly byte[] Purpose = "switchboard responses reasoning v1"u8.ToArray();
    private static readonly byte[] SignedPurpose = "switchboard responses reasoning v2 upstream-signed"u8.ToArray();
    private readonly byte[] _key;

    /// <param name="thinkingSecret">The thinking-signature secret (<c>ThinkingKey.Value</c>).</param>
    public ReasoningSeal(ReadOnlySpan<byte> thinkingSecret) =>
        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, thinkingSecret.ToArray(), 32, salt: [], info: Purpose);

    /// <summary>Seals thinking Switchboard's model produced (no upstream signature).</summary>
    public string Seal(string thinking) => Seal(thinking, upstreamSignature: null);

    /// <summary>
    /// Seals thinking, with the signature its upstream gave it when there is one (<paramref name="upstreamSignature"/>
    /// null or empty: Switchboard's own reasoning).
    /// </summary>
    public string Seal(string thinking, string? upstreamSignature)
    {
        ArgumentNullException.ThrowIfNull(thinking);
        if (string.IsNullOrEmpty(upstreamSignature))
        {
            return Prefix + Base64Url(Encrypt(Encoding.UTF8.GetBytes(thinking), Purpose));
        }

        var signatureLength = Encoding.UTF8.GetByteCount(upstreamSignature);
        var plain = new byte[LengthSize + signatureLength + Encoding.UTF8.GetByteCount(thinking)];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(plain, signatureLength);
        Encoding.UTF8.GetBytes(upstreamSignature, plain.AsSpan(LengthSize));
        Encoding.UTF8.GetBytes(thinking, plain.AsSpan(LengthSize + signatureLength));
        return SignedPrefix + Base64Url(Encrypt(plain, SignedPurpose));
    }

    /// <summary>The thinking sealed in <paramref name="blob"/>, or null when it is not Switchboard's or was changed.</summary>
    public string? Open(string? blob) => OpenReasoning(blob)?.Thinking;

    /// <summary>
    /// The thinking sealed in <paramref name="blob"/> and the upstream's signature sealed with it (null for
    /// Switchboard's own reasoning), or null when the blob is not Switchboard's or was changed.
    /// </summary>
    public SealedReasoning? OpenReasoning(string? blob)
    {
        if (blob is null)
        {
            return null;
        }

        if (blob.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return Decrypt(blob.AsSpan(Prefix.Length), Purpose) is { } plain ? new SealedReasoning(Encoding.UTF8.GetString(plain), null) : null;
        }

        if (!blob.StartsWith(SignedPrefix, StringComparison.Ordinal) || Decrypt(blob.AsSpan(SignedPrefix.Length), SignedPurpose) is not { } signed
            || signed.Length < LengthSize)
        {
            return null;
        }

        var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(signed);
        if (length <= 0 || length > signed.Length - LengthSize)
        {
            return null;
        }

        return new SealedReasoning(
            Encoding.UTF8.GetString(signed.AsSpan(LengthSize + length)),
            Encoding.UTF8.GetString(signed.AsSpan(LengthSize, length)));
    }

    private byte[] Encrypt(byte[] plain, byte[] purpose)
    {
        var sealedBytes = new byte[NonceSize + plain.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceSize, plain.Length), sealedBytes.AsSpan(NonceSize + plain.Length), purpose);
        return sealedBytes;
    }

    private byte[]? Decrypt(ReadOnlySpan<char> encoded, byte[] purpose)
    {
        if (!TryDecode(encoded, out var bytes) || bytes.Length < NonceSize + TagSize)
        {
            return null;
        }

        var length = bytes.Length - NonceSize - TagSize;
        var plain = new byte[length];
        try
        {
            using var aes = new AesGcm(_key, TagSize);
            aes.Decrypt(bytes.AsSpan(0, NonceSize), bytes.AsSpan(NonceSize, length), bytes.AsSpan(NonceSize + length), plain, purpose);
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }

        return plain;
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
