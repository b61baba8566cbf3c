using Switchboard.Tenancy;

namespace Switchboard.Tests.Support;

/// <summary>
/// An in-memory <see cref="IKeyStore"/> for unit tests of what sits on top of the store port (the cache, the key
/// manager): counts lookups and can be switched to fail like a store that is down. The real stores have their own tests.
/// </summary>
public sealed class MemoryKeyStore : IKeyStore
{
    private readonly Dictionary<string, ApiKeyRecord> _keys = [];
    private readonly Lock _gate = new();

    public int Finds { get; private set; }

    public int AnyActiveCalls { get; private set; }

    /// <summary>When true, every call throws, as a store that cannot be reached does.</summary>
    public bool Down { get; set; }

    public Task CreateAsync(ApiKeyRecord key, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        lock (_gate)
        {
            _keys.Add(key.Id, key);
        }

        return Task.CompletedTask;
    }

    public Task<ApiKeyRecord?> FindAsync(string id, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Finds++;
        }

        ThrowIfDown();
        lock (_gate)
        {
            return Task.FromResult(_keys.GetValueOrDefault(id));
        }
    }

    public Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken)
    {
        ThrowIfDown();
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<ApiKeyRecord>>(_keys.Values.OrderBy(k => k.CreatedAt).ToList());
        }
    }

    public Task<bool> UpdateAsync(ApiKeyRecord key, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        lock (_gate)
        {
            if (!_keys.ContainsKey(key.Id))
            {
                return Task.FromResult(false);
            }

            _keys[key.Id] = key;
            return Task.FromResult(true);
        }
    }

    public Task<bool> AnyActiveAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            AnyActiveCalls++;
        }

        ThrowIfDown();
        lock (_gate)
        {
            return Task.FromResult(_keys.Values.Any(k => k.RevokedAt is null && (k.ExpiresAt is null || k.ExpiresAt > now)));
        }
    }

    /// <summary>Replaces a key behind the cache's back, as another process sharing the store would.</summary>
    public void Put(ApiKeyRecord key)
    {
        lock (_gate)
        {
            _keys[key.Id] = key;
        }
    }

    private void ThrowIfDown()
    {
        if (Down)
        {
            throw new InvalidOperationException("store is down");
        }
    }
}
