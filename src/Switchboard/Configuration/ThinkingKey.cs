using System.Security.Cryptography;
using System.Text;

namespace Switchboard.Configuration;

/// <summary>The secret behind thinking signatures: from configuration, or random for this process.</summary>
public sealed class ThinkingKey(SwitchboardOptions options)
{
    public byte[] Value { get; } = options.ThinkingSignatureKey is { Length: > 0 } secret
        ? SHA256.HashData(Encoding.UTF8.GetBytes(secret))
        : RandomNumberGenerator.GetBytes(32);

    public bool Configured { get; } = options.ThinkingSignatureKey is { Length: > 0 };
}
