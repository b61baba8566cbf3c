using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Switchboard.Configuration;

namespace Switchboard.Tenancy;

/// <summary>
/// Checks client keys against the configured ones (<c>ApiKeys</c>), which are unlimited static keys. Only SHA-256
/// digests are kept and every configured key is compared in constant time, so neither timing nor memory dumps reveal
/// a key. Keys are never logged; a key is identified in logs by its id, <c>key_</c> and a short digest prefix.
/// </summary>
public sealed class ApiKeyAuthenticator
{
    /// <summary>Longer presented keys are hashed in a rented buffer instead of on the stack.</summary>
    private const int StackLimit = 512;

    private readonly byte[][] _digests;
    private readonly KeyCaller[] _callers;

    public ApiKeyAuthenticator(SwitchboardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _digests = options.ApiKeys.Where(k => k.Length > 0).Select(k => SHA256.HashData(Encoding.UTF8.GetBytes(k))).ToArray();
        _callers = _digests.Select(d => new KeyCaller(KeyId(d), null)).ToArray();
    }

    /// <summary>False when no keys are configured.</summary>
    public bool Enabled => _digests.Length > 0;

    /// <summary>Returns the key id when <paramref name="presented"/> is a configured key, else null.</summary>
    public string? Authenticate(string presented) => Find(presented)?.KeyId;

    /// <summary>The caller for a configured key (one instance per key, made once), else null.</summary>
    public KeyCaller? Find(ReadOnlySpan<char> presented)
    {
        if (_digests.Length == 0 || presented.IsEmpty)
        {
            return null;
        }

        var length = Encoding.UTF8.GetMaxByteCount(presented.Length);
        byte[]? rented = null;
        var buffer = length <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var written = Encoding.UTF8.GetBytes(presented, buffer);
            Span<byte> digest = stackalloc byte[32];
            SHA256.HashData(buffer[..written], digest);
            KeyCaller? match = null;
            for (var i = 0; i < _digests.Length; i++)
            {
                // Every key is compared, so the time taken does not tell which one matched.
                if (CryptographicOperations.FixedTimeEquals(_digests[i], digest))
                {
                    match = _callers[i];
                }
            }

            return match;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented, clearArray: true);
            }
        }
    }

    private static string KeyId(byte[] digest) => "key_" + Convert.ToHexStringLower(digest.AsSpan(0, 4));
}
