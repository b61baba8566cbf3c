using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Switchboard.Tenancy;

namespace Switchboard.Dashboard;

/// <summary>
/// Dashboard sign-in: the admin token is checked once, at the login form (both sides hashed, then compared in
/// constant time), and the browser gets a session cookie instead: <c>expiry.nonce.mac</c>, an HMAC-SHA256 under a
/// key derived from a random secret kept in the store's settings and the admin token. So the cookie neither holds nor
/// reveals the token (not even to an offline guess without the store), every process sharing the store accepts it,
/// and changing the admin token ends every session. The CSRF token a page carries is another MAC of the session's
/// nonce. Signing out ends a session in this process (other processes honour it until it expires, at most
/// <see cref="Lifetime"/>).
/// </summary>
public sealed class DashboardSessions(string adminToken, ISettingsStore settings, TimeProvider time)
{
    public const string CookieName = "sb_dashboard";

    public const string SecretSetting = "dashboard_session_secret";

    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    private readonly byte[] _tokenDigest = SHA256.HashData(Encoding.UTF8.GetBytes(adminToken));
    private readonly ConcurrentDictionary<string, long> _ended = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _keyGate = new(1, 1);
    private byte[]? _key;

    /// <summary>Whether <paramref name="presented"/> is the admin token; constant time, whatever its length.</summary>
    public bool IsAdminToken(string? presented)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(presented ?? ""));
        return CryptographicOperations.FixedTimeEquals(digest, _tokenDigest);
    }

    /// <summary>A new session's cookie value.</summary>
    public async Task<string> IssueAsync(CancellationToken cancellationToken)
    {
        var key = await KeyAsync(cancellationToken);
        var expires = (time.GetUtcNow() + Lifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var nonce = Base64Url(RandomNumberGenerator.GetBytes(18));
        return $"{expires}.{nonce}.{Mac(key, "session", expires + "." + nonce)}";
    }

    /// <summary>The session a cookie value stands for, or null when it is missing, altered, expired or signed out.</summary>
    public async Task<DashboardSession?> ValidateAsync(string? cookie, CancellationToken cancellationToken)
    {
        if (cookie is not { Length: > 0 and < 200 } || cookie.Split('.') is not [var expires, var nonce, var mac])
        {
            return null;
        }

        if (!long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var expiresAt)
            || expiresAt <= time.GetUtcNow().ToUnixTimeSeconds())
        {
            return null;
        }

        var key = await KeyAsync(cancellationToken);
        if (!FixedEquals(mac, Mac(key, "session", expires + "." + nonce)) || _ended.ContainsKey(nonce))
        {
            return null;
        }

        return new DashboardSession(nonce, DateTimeOffset.FromUnixTimeSeconds(expiresAt), Mac(key, "csrf", nonce));
    }

    /// <summary>Ends a session in this process (signing out).</summary>
    public void End(DashboardSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        foreach (var (nonce, expires) in _ended)
        {
            if (expires <= now)
            {
                _ended.TryRemove(nonce, out _);
            }
        }

        _ended[session.Nonce] = session.ExpiresAt.ToUnixTimeSeconds();
    }

    public static bool FixedEquals(string? a, string b) =>
        a is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    private async Task<byte[]> KeyAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _key) is { } key)
        {
            return key;
        }

        await _keyGate.WaitAsync(cancellationToken);
        try
        {
            if (_key is null)
            {
                // First writer wins, so every process on the store signs with the same secret.
                var secret = await settings.GetOrAddAsync(SecretSetting, Base64Url(RandomNumberGenerator.GetBytes(32)), cancellationToken);
                Volatile.Write(ref _key, HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), _tokenDigest));
            }

            return _key!;
        }
        finally
        {
            _keyGate.Release();
        }
    }

    private static string Mac(byte[] key, string purpose, string value) =>
        Base64Url(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(purpose + ":" + value)));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>A signed-in dashboard session: its nonce, expiry and the CSRF token its pages send back.</summary>
public sealed record DashboardSession(string Nonce, DateTimeOffset ExpiresAt, string CsrfToken);
