using System.Security.Cryptography;
using System.Text;
using Switchboard.Configuration;

namespace Switchboard.Tenancy;

/// <summary>
/// Checks client keys against the configured ones. Only SHA-256 digests are kept and every configured key is
/// compared in constant time, so neither timing nor memory dumps reveal a key. Keys are never logged; a key is
/// identified in logs by <see cref="KeyId"/>, a short digest prefix.
/// </summary>
public sealed class ApiKeyAuthenticator
{
    private readonly byte[][] _digests;

    public ApiKeyAuthenticator(SwitchboardOptions options) =>
        _digests = options.ApiKeys.Where(k => k.Length > 0).Select(Digest).ToArray();

    /// <summary>False when no keys are configured: every request is allowed (Switchboard then binds to loopback).</summary>
    public bool Enabled => _digests.Length > 0;

    /// <summary>Returns the key id when <paramref name="presented"/> is a configured key, else null.</summary>
    public string? Authenticate(string presented)
    {
        var digest = Digest(presented);
        var match = false;
        foreach (var known in _digests)
        {
            match |= CryptographicOperations.FixedTimeEquals(known, digest);
        }

        return match ? KeyId(digest) : null;
    }

    private static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    private static string KeyId(byte[] digest) => "key_" + Convert.ToHexStringLower(digest.AsSpan(0, 4));
}
