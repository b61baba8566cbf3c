using System.Collections.Concurrent;
using Switchboard.Configuration;

namespace Switchboard.Tenancy.Keys;

/// <summary>
/// Finds presented stored keys through <see cref="IKeyStore"/>, with an in-process cache of hits and misses
/// (<c>Tenancy:KeyCacheSeconds</c>), so a request with a known key costs a dictionary lookup and a hash, with no
/// lock and no allocation. A change made through this process (<see cref="Invalidate"/>) applies at once; one made
/// through another process sharing the store applies when the entry ages out. When the store fails, a cached key
/// keeps working (for up to <see cref="MaxStale"/>) and an uncached one is <see cref="KeyStatus.Unavailable"/>,
/// never refused as invalid. Also knows whether authentication is required at all. Keys are never logged, only ids.
/// </summary>
public sealed partial class KeyDirectory
{
    /// <summary>How long a cached key keeps working while the store cannot be reached.</summary>
    public static readonly TimeSpan MaxStale = TimeSpan.FromMinutes(15);

    /// <summary>Misses cached at most; past it, unknown ids are looked up each time (a flood of made-up ids must not fill memory).</summary>
    private const int MaxEntries = 100_000;

    /// <summary>While the store fails, a stale entry is retried at most this often.</summary>
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan FailureLogInterval = TimeSpan.FromSeconds(10);

    private readonly IKeyStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<KeyDirectory> _logger;
    private readonly bool _staticKeys;
    private readonly long _ttl;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Entry>.AlternateLookup<ReadOnlySpan<char>> _byId;
    private readonly ConcurrentDictionary<string, Task<Entry?>> _loading = new(StringComparer.Ordinal);
    private long _generation;
    private long _lastFailureLogged;
    private volatile RequiredState? _required;
    private Task<RequiredState?>? _requiredLoading;

    public KeyDirectory(IKeyStore store, SwitchboardOptions options, TimeProvider time, ILogger<KeyDirectory> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _time = time;
        _logger = logger;
        _staticKeys = options.ApiKeys.Any(k => k.Length > 0);
        _ttl = (long)(Math.Max(0, options.Tenancy.KeyCacheSeconds) * time.TimestampFrequency);
        _byId = _entries.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>
    /// Checks <paramref name="presented"/> (already in the stored-key format, with id <paramref name="id"/>) from the
    /// cache alone; false when the store must be asked (<see cref="CheckAsync"/>).
    /// </summary>
    public bool TryCheckCached(ReadOnlySpan<char> presented, ReadOnlySpan<char> id, out KeyCheck check)
    {
        if (_byId.TryGetValue(id, out var entry) && _time.GetTimestamp() < entry.FreshUntil)
        {
            check = Judge(entry, presented);
            return true;
        }

        check = default;
        return false;
    }

    /// <summary>Checks a presented stored-format key, asking the store when the cache has no fresh answer.</summary>
    public async ValueTask<KeyCheck> CheckAsync(string presented)
    {
        if (!ApiKeyFormat.TryGetId(presented, out var idSpan))
        {
            return new KeyCheck(KeyStatus.Unknown);
        }

        if (TryCheckCached(presented, idSpan, out var cached))
        {
            return cached;
        }

        var id = idSpan.ToString();
        var entry = await LoadAsync(id).ConfigureAwait(false);
        return entry is null ? new KeyCheck(KeyStatus.Unavailable, KeyId: id) : Judge(entry, presented);
    }

    /// <summary>
    /// Whether requests need a key: configured keys exist, or the store holds an active key (cached like keys).
    /// Null when the store cannot be asked and nothing is cached.
    /// </summary>
    public ValueTask<bool?> AuthenticationRequiredAsync()
    {
        if (_staticKeys)
        {
            return ValueTask.FromResult<bool?>(true);
        }

        var state = _required;
        if (state is not null && _time.GetTimestamp() < state.FreshUntil)
        {
            return ValueTask.FromResult<bool?>(state.Required);
        }

        return LoadRequiredAsync();
    }

    /// <summary>Forgets what is cached about <paramref name="id"/> and whether keys exist: a change made here applies at once.</summary>
    public void Invalidate(string id)
    {
        Interlocked.Increment(ref _generation);
        _entries.TryRemove(id, out _);
        _required = null;
    }

    private KeyCheck Judge(Entry entry, ReadOnlySpan<char> presented)
    {
        if (entry.Record is not { } record || entry.Digest is null || !KeyDigest.Matches(presented, entry.Digest))
        {
            return new KeyCheck(KeyStatus.Unknown);
        }

        if (record.RevokedAt is not null)
        {
            return new KeyCheck(KeyStatus.Revoked, KeyId: record.Id);
        }

        if (record.ExpiresAt is { } expires && expires <= _time.GetUtcNow())
        {
            return new KeyCheck(KeyStatus.Expired, KeyId: record.Id);
        }

        return record.Disabled ? new KeyCheck(KeyStatus.Disabled, KeyId: record.Id) : new KeyCheck(KeyStatus.Valid, entry.Caller, record.Id);
    }

    private async Task<Entry?> LoadAsync(string id)
    {
        // Concurrent misses on one id share one store query.
        var mine = new TaskCompletionSource<Entry?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var loading = _loading.GetOrAdd(id, mine.Task);
        if (loading != mine.Task)
        {
            return await loading.ConfigureAwait(false);
        }

        try
        {
            var entry = await LoadOnceAsync(id).ConfigureAwait(false);
            mine.SetResult(entry);
            return entry;
        }
        finally
        {
            _loading.TryRemove(KeyValuePair.Create(id, mine.Task));
        }
    }

    private async Task<Entry?> LoadOnceAsync(string id)
    {
        var generation = Interlocked.Read(ref _generation);
        try
        {
            var record = await _store.FindAsync(id, CancellationToken.None).ConfigureAwait(false);
            var now = _time.GetTimestamp();
            var entry = new Entry(record, now + _ttl, now);
            if (Interlocked.Read(ref _generation) == generation && (record is not null || _entries.Count < MaxEntries))
            {
                _entries[id] = entry;
            }

            return entry;
        }
        catch (Exception failure) when (failure is not OutOfMemoryException)
        {
            if (ShouldLogFailure())
            {
                LogStoreFailed(_logger, failure, id);
            }

            if (_entries.TryGetValue(id, out var stale) && _time.GetElapsedTime(stale.LoadedAt) < MaxStale)
            {
                // Stale-while-error: keep serving what was known, and ask again a little later.
                var retry = _time.GetTimestamp() + (long)(RetryAfterFailure.TotalSeconds * _time.TimestampFrequency);
                var kept = stale with { FreshUntil = retry };
                _entries.TryUpdate(id, kept, stale);
                return kept;
            }

            return null;
        }
    }

    private async ValueTask<bool?> LoadRequiredAsync()
    {
        var mine = new TaskCompletionSource<RequiredState?>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (Interlocked.CompareExchange(ref _requiredLoading, mine.Task, null) is { } loading)
        {
            return (await loading.ConfigureAwait(false))?.Required;
        }

        try
        {
            var state = await LoadRequiredOnceAsync().ConfigureAwait(false);
            mine.SetResult(state);
            return state?.Required;
        }
        finally
        {
            _ = Interlocked.CompareExchange(ref _requiredLoading, null, mine.Task);
        }
    }

    private async Task<RequiredState?> LoadRequiredOnceAsync()
    {
        var generation = Interlocked.Read(ref _generation);
        try
        {
            var any = await _store.AnyActiveAsync(_time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
            var now = _time.GetTimestamp();
            var state = new RequiredState(any, now + _ttl, now);
            if (Interlocked.Read(ref _generation) == generation)
            {
                _required = state;
            }

            return state;
        }
        catch (Exception failure) when (failure is not OutOfMemoryException)
        {
            if (ShouldLogFailure())
            {
                LogRequiredFailed(_logger, failure);
            }

            var stale = _required;
            if (stale is not null && _time.GetElapsedTime(stale.LoadedAt) < MaxStale)
            {
                _required = stale with { FreshUntil = _time.GetTimestamp() + (long)(RetryAfterFailure.TotalSeconds * _time.TimestampFrequency) };
                return stale;
            }

            return null;
        }
    }

    /// <summary>A cached answer for one id: the record (null: no such key), its digest and caller, made once.</summary>
    private sealed record Entry
    {
        public Entry(ApiKeyRecord? record, long freshUntil, long loadedAt)
        {
            Record = record;
            FreshUntil = freshUntil;
            LoadedAt = loadedAt;
            Digest = KeyDigest.Parse(record?.SecretHash);
            Caller = record is null ? null : new KeyCaller(record.Id, record);
        }

        public ApiKeyRecord? Record { get; }

        public byte[]? Digest { get; }

        public KeyCaller? Caller { get; }

        /// <summary>Timestamp (<see cref="TimeProvider.GetTimestamp"/>) until which the entry is used without asking the store.</summary>
        public long FreshUntil { get; init; }

        public long LoadedAt { get; }
    }

    private sealed record RequiredState(bool Required, long FreshUntil, long LoadedAt);

    /// <summary>
    /// One warning per <see cref="FailureLogInterval"/> while the store is down: every uncached key asks again, and a
    /// busy gateway would otherwise write a line (with a stack trace) per request.
    /// </summary>
    private bool ShouldLogFailure()
    {
        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _lastFailureLogged);
        return (last == 0 || _time.GetElapsedTime(last, now) >= FailureLogInterval)
            && Interlocked.CompareExchange(ref _lastFailureLogged, now, last) == last;
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Warning,
        Message = "Key store unavailable while looking up key {KeyId}: a cached key keeps working, an uncached one is answered 'key store unavailable, retry'")]
    private static partial void LogStoreFailed(ILogger logger, Exception failure, string keyId);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Key store unavailable while checking whether stored keys exist")]
    private static partial void LogRequiredFailed(ILogger logger, Exception failure);
}
