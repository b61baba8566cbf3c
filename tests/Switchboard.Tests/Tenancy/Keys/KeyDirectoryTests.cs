using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Configuration;
using Switchboard.Tenancy;
using Switchboard.Tenancy.Keys;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Tenancy.Keys;

public sealed class KeyDirectoryTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly MemoryKeyStore _store = new();

    private KeyDirectory Directory(double cacheSeconds = 5, params string[] staticKeys) =>
        new(_store, new SwitchboardOptions { ApiKeys = [.. staticKeys], Tenancy = { KeyCacheSeconds = cacheSeconds } }, _time, NullLogger<KeyDirectory>.Instance);

    private (ApiKeyRecord Record, string Key) Stored(Func<ApiKeyRecord, ApiKeyRecord>? change = null)
    {
        var (id, key) = ApiKeyFormat.Generate();
        var record = new ApiKeyRecord { Id = id, Name = "alice", SecretHash = KeyDigest.Hex(key), CreatedAt = _time.GetUtcNow() };
        record = change?.Invoke(record) ?? record;
        _store.Put(record);
        return (record, key);
    }

    [Fact]
    public async Task A_valid_key_is_found_once_and_then_served_from_the_cache_with_the_same_caller()
    {
        var directory = Directory();
        var (record, key) = Stored();

        var first = await directory.CheckAsync(key);
        Assert.True(directory.TryCheckCached(key, record.Id, out var second));

        Assert.Equal((KeyStatus.Valid, record.Id), (first.Status, first.KeyId));
        Assert.Same(first.Caller, second.Caller);
        Assert.Equal(record, first.Caller!.Stored);
        Assert.Equal(1, _store.Finds);
    }

    [Fact]
    public async Task A_wrong_secret_for_a_known_id_is_invalid_and_says_nothing_about_the_key()
    {
        var directory = Directory();
        var (record, key) = Stored(r => r with { RevokedAt = _time.GetUtcNow() });
        var wrong = key[..^4] + "AAAA";

        var check = await directory.CheckAsync(wrong);

        Assert.Equal((KeyStatus.Unknown, null), (check.Status, check.KeyId));
        Assert.Equal(KeyStatus.Revoked, (await directory.CheckAsync(key)).Status);
        Assert.NotNull(record);
    }

    [Fact]
    public async Task Revoked_expired_and_disabled_keys_are_told_apart()
    {
        var directory = Directory();
        var (_, revoked) = Stored(r => r with { RevokedAt = _time.GetUtcNow() });
        var (_, expired) = Stored(r => r with { ExpiresAt = _time.GetUtcNow().AddSeconds(-1) });
        var (_, disabled) = Stored(r => r with { Disabled = true });
        var (_, later) = Stored(r => r with { ExpiresAt = _time.GetUtcNow().AddSeconds(30) });
        var (_, unknown) = ApiKeyFormat.Generate();

        Assert.Equal(
            [KeyStatus.Revoked, KeyStatus.Expired, KeyStatus.Disabled, KeyStatus.Valid, KeyStatus.Unknown],
            [(await directory.CheckAsync(revoked)).Status, (await directory.CheckAsync(expired)).Status, (await directory.CheckAsync(disabled)).Status,
                (await directory.CheckAsync(later)).Status, (await directory.CheckAsync(unknown)).Status]);

        // Expiry is judged at each request, also for a cached key.
        _time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(KeyStatus.Expired, (await directory.CheckAsync(later)).Status);
    }

    [Fact]
    public async Task A_change_in_the_store_shows_when_the_entry_ages_out_and_a_local_change_at_once()
    {
        var directory = Directory(cacheSeconds: 5);
        var (record, key) = Stored();
        Assert.Equal(KeyStatus.Valid, (await directory.CheckAsync(key)).Status);

        // Revoked by another process: still cached for up to the cache interval, then refused.
        _store.Put(record with { RevokedAt = _time.GetUtcNow() });
        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(KeyStatus.Valid, (await directory.CheckAsync(key)).Status);
        _time.Advance(TimeSpan.FromSeconds(1.5));
        Assert.Equal(KeyStatus.Revoked, (await directory.CheckAsync(key)).Status);

        // Changed through this process: at once.
        var (other, otherKey) = Stored();
        Assert.Equal(KeyStatus.Valid, (await directory.CheckAsync(otherKey)).Status);
        _store.Put(other with { Disabled = true });
        directory.Invalidate(other.Id);
        Assert.Equal(KeyStatus.Disabled, (await directory.CheckAsync(otherKey)).Status);
    }

    [Fact]
    public async Task Misses_are_cached_too()
    {
        var directory = Directory();
        var (_, unknown) = ApiKeyFormat.Generate();

        await directory.CheckAsync(unknown);
        await directory.CheckAsync(unknown);
        Assert.Equal(1, _store.Finds);

        _time.Advance(TimeSpan.FromSeconds(6));
        await directory.CheckAsync(unknown);
        Assert.Equal(2, _store.Finds);
    }

    [Fact]
    public async Task When_the_store_is_down_a_cached_key_keeps_working_and_an_uncached_one_is_unavailable_not_invalid()
    {
        var directory = Directory();
        var (_, cached) = Stored();
        var (_, uncached) = Stored();
        Assert.Equal(KeyStatus.Valid, (await directory.CheckAsync(cached)).Status);

        _store.Down = true;
        _time.Advance(TimeSpan.FromSeconds(60));

        Assert.Equal(KeyStatus.Valid, (await directory.CheckAsync(cached)).Status);
        Assert.Equal(KeyStatus.Unavailable, (await directory.CheckAsync(uncached)).Status);

        // Not for ever: past the staleness limit the cached key cannot be vouched for either.
        _time.Advance(KeyDirectory.MaxStale);
        Assert.Equal(KeyStatus.Unavailable, (await directory.CheckAsync(cached)).Status);

        _store.Down = false;
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(KeyStatus.Valid, (await directory.CheckAsync(uncached)).Status);
    }

    [Fact]
    public async Task A_store_outage_is_logged_once_per_ten_seconds_not_once_per_request()
    {
        var logger = new ListLogger<KeyDirectory>();
        var directory = new KeyDirectory(_store, new SwitchboardOptions(), _time, logger);
        var keys = Enumerable.Range(0, 20).Select(_ => Stored().Key).ToArray();
        _store.Down = true;

        foreach (var key in keys)
        {
            Assert.Equal(KeyStatus.Unavailable, (await directory.CheckAsync(key)).Status);
        }

        Assert.Single(logger.Lines, l => l.StartsWith("Key store unavailable", StringComparison.Ordinal));
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(KeyStatus.Unavailable, (await directory.CheckAsync(keys[0])).Status);
        Assert.Equal(2, logger.Lines.Count(l => l.StartsWith("Key store unavailable", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Authentication_is_required_with_configured_keys_or_an_active_stored_key()
    {
        Assert.True(await Directory(5, "sk-static").AuthenticationRequiredAsync());
        Assert.Equal(0, _store.AnyActiveCalls);

        var directory = Directory();
        Assert.False(await directory.AuthenticationRequiredAsync());
        var (record, _) = Stored();

        // Cached like keys: another process's new key counts after the interval, a local change at once.
        Assert.False(await directory.AuthenticationRequiredAsync());
        _time.Advance(TimeSpan.FromSeconds(6));
        Assert.True(await directory.AuthenticationRequiredAsync());
        _store.Put(record with { RevokedAt = _time.GetUtcNow() });
        directory.Invalidate(record.Id);
        Assert.False(await directory.AuthenticationRequiredAsync());
    }

    [Fact]
    public async Task Whether_authentication_is_required_is_unknown_only_when_the_store_is_down_and_nothing_is_cached()
    {
        var directory = Directory();
        Stored();
        _store.Down = true;
        Assert.Null(await directory.AuthenticationRequiredAsync());

        _store.Down = false;
        Assert.True(await directory.AuthenticationRequiredAsync());
        _store.Down = true;
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.True(await directory.AuthenticationRequiredAsync());
    }

    [Fact]
    public async Task Concurrent_misses_on_one_id_share_one_store_query()
    {
        var directory = Directory();
        var (_, key) = Stored();

        var checks = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => directory.CheckAsync(key).AsTask()));

        Assert.All(checks, c => Assert.Equal(KeyStatus.Valid, c.Status));
        Assert.InRange(_store.Finds, 1, 3);
    }

    [Fact]
    public async Task A_cached_check_allocates_almost_nothing()
    {
        var directory = Directory();
        var (record, key) = Stored();
        await directory.CheckAsync(key);
        directory.TryCheckCached(key, record.Id, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            directory.TryCheckCached(key, key.AsSpan(6, 12), out _);
        }

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1000, "a cached check should not allocate");
    }
}
