using System.Collections.Concurrent;
using Switchboard.Canonical;
using Switchboard.Pipeline;
using Switchboard.Tenancy;

namespace Switchboard.Batches;

/// <summary>
/// The caller a batch request runs as: the key that created the batch, looked up again when the request runs (a key
/// revoked, expired or disabled since errors its remaining requests). A stored key keeps its model permissions and
/// budget but not its per-minute limits and concurrency: batch traffic is paced by <c>Batches:*</c> instead, so a
/// batch never eats the key's interactive allowance. A key the store does not hold came from configuration
/// (unlimited). Looked up at most every few seconds per key.
/// </summary>
public sealed class BatchCallers(IKeyStore keys, TimeProvider time)
{
    private static readonly TimeSpan Fresh = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, (BatchCaller Caller, DateTimeOffset At)> _cache = new(StringComparer.Ordinal);

    /// <summary>The caller for <paramref name="keyId"/> (null: keyless, open mode). Throws when the key store cannot be read.</summary>
    public async Task<BatchCaller> ResolveAsync(string? keyId, CancellationToken cancellationToken)
    {
        if (keyId is null)
        {
            return new BatchCaller(null, null);
        }

        var now = time.GetUtcNow();
        if (_cache.TryGetValue(keyId, out var cached) && now - cached.At < Fresh)
        {
            return cached.Caller;
        }

        var stored = await keys.FindAsync(keyId, cancellationToken);
        var caller = stored switch
        {
            null => new BatchCaller(new KeyCaller(keyId, null), null),
            { RevokedAt: not null } => Refused(ApiErrorKind.Authentication, "The API key that created this batch has been revoked."),
            { ExpiresAt: { } expires } when expires <= now => Refused(ApiErrorKind.Authentication, "The API key that created this batch has expired."),
            { Disabled: true } => Refused(ApiErrorKind.Permission, "The API key that created this batch is disabled."),
            _ => new BatchCaller(new KeyCaller(keyId, stored with { Limits = KeyLimits.None }), null),
        };
        _cache[keyId] = (caller, now);
        return caller;
    }

    private static BatchCaller Refused(ApiErrorKind kind, string message) => new(null, new ApiError(kind, message));
}

/// <summary>The caller to run as, or the refusal its requests end with.</summary>
public sealed record BatchCaller(ICaller? Caller, ApiError? Refusal);
