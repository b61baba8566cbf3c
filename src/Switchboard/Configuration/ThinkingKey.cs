using System.Security.Cryptography;
using System.Text;

namespace Switchboard.Configuration;

/// <summary>
/// The secret behind thinking signatures. A configured <c>ThinkingSignatureKey</c> wins; otherwise the secret kept in
/// the store under <see cref="SettingName"/> (generated once by the first process), so every replica and every
/// restart verifies the same signatures; with neither, a random secret valid for this process only.
/// </summary>
public sealed class ThinkingKey
{
    /// <summary>The store setting holding the generated secret.</summary>
    public const string SettingName = "thinking-signature-key";

    public ThinkingKey(SwitchboardOptions options)
        : this(options, storedSecret: null)
    {
    }

    /// <param name="storedSecret">The secret kept in the store; ignored when a key is configured.</param>
    public ThinkingKey(SwitchboardOptions options, string? storedSecret)
    {
        Configured = options.ThinkingSignatureKey is { Length: > 0 };
        Stored = !Configured && storedSecret is { Length: > 0 };
        var secret = Configured ? options.ThinkingSignatureKey : Stored ? storedSecret : null;
        Value = secret is null ? RandomNumberGenerator.GetBytes(32) : SHA256.HashData(Encoding.UTF8.GetBytes(secret));
    }

    public byte[] Value { get; }

    /// <summary>The key comes from <c>ThinkingSignatureKey</c>.</summary>
    public bool Configured { get; }

    /// <summary>The key comes from the store, shared by every process using it.</summary>
    public bool Stored { get; }

    /// <summary>A fresh secret to offer the store: 32 random bytes, base64.</summary>
    public static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}
