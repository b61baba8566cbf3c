namespace Switchboard.Tenancy;

/// <summary>Where stored API keys live (SQLite or PostgreSQL, see Storage/). Every call may throw when the store is down.</summary>
public interface IKeyStore
{
    Task CreateAsync(ApiKeyRecord key, CancellationToken cancellationToken);

    /// <summary>The key with this id, revoked ones included; null when there is none.</summary>
    Task<ApiKeyRecord?> FindAsync(string id, CancellationToken cancellationToken);

    /// <summary>Every key, revoked ones included, oldest first.</summary>
    Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Replaces the stored key with the same id; false when there is none.</summary>
    Task<bool> UpdateAsync(ApiKeyRecord key, CancellationToken cancellationToken);

    /// <summary>Whether at least one key is neither revoked nor expired (then authentication is required).</summary>
    Task<bool> AnyActiveAsync(DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>The usage ledger's store: appended to in batches off the request path, read by the usage API and CLI.</summary>
public interface IUsageLedgerStore
{
    /// <summary>Appends rows and adds them to the daily totals; a row whose request id is already stored is skipped.</summary>
    Task AppendAsync(IReadOnlyList<UsageRow> rows, CancellationToken cancellationToken);

    Task<IReadOnlyList<UsageTotal>> SummarizeAsync(UsageQuery query, CancellationToken cancellationToken);

    /// <summary>The latest requests, newest first, optionally of one key.</summary>
    Task<IReadOnlyList<UsageRow>> RecentAsync(string? keyId, int limit, CancellationToken cancellationToken);

    /// <summary>The latest requests matching <paramref name="filter"/>, newest first.</summary>
    Task<IReadOnlyList<UsageRow>> RecentMatchingAsync(RequestFilter filter, int limit, CancellationToken cancellationToken);

    /// <summary>What a key has spent since <paramref name="from"/> (a UTC day boundary), in micro-USD.</summary>
    Task<long> SpentMicrosAsync(string keyId, DateTimeOffset from, CancellationToken cancellationToken);

    /// <summary>Deletes per-request rows older than <paramref name="cutoff"/> (daily totals stay); returns how many.</summary>
    Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);
}

/// <summary>Small values every Switchboard process sharing the store must agree on (the thinking-signature secret).</summary>
public interface ISettingsStore
{
    /// <summary>The stored value of <paramref name="name"/>, storing <paramref name="value"/> first if there is none (first writer wins).</summary>
    Task<string> GetOrAddAsync(string name, string value, CancellationToken cancellationToken);
}
