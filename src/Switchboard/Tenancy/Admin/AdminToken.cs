using System.Security.Cryptography;
using System.Text;

namespace Switchboard.Tenancy.Admin;

/// <summary>
/// Checks <c>Authorization: Bearer &lt;token&gt;</c> against <c>Admin:Token</c>. Both sides are hashed first, so the
/// constant-time comparison does not reveal the token's length either.
/// </summary>
public sealed class AdminToken(string token)
{
    private readonly byte[] _digest = SHA256.HashData(Encoding.UTF8.GetBytes(token));

    public bool Accepts(string? authorization)
    {
        var value = authorization.AsSpan().Trim();
        if (!value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var presented = value[7..].Trim();
        var bytes = new byte[Encoding.UTF8.GetByteCount(presented)];
        Encoding.UTF8.GetBytes(presented, bytes);
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(bytes), _digest);
    }
}
