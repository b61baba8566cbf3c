using Switchboard.Storage;
using Switchboard.Tenancy;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Storage;

public abstract class KeyStoreTests(StoreDialect dialect) : StoreTestBase(dialect)
{
    private static readonly DateTimeOffset Created = new(2026, 3, 1, 12, 30, 15, 123, TimeSpan.Zero);

    private static ApiKeyRecord Key(string id, DateTimeOffset? created = null) => new()
    {
        Id = id,
        Name = "alice " + id,
        SecretHash = new string('a', 64),
        Models = ["qwen3*", "gpt-oss-120b"],
        Limits = new KeyLimits(60, 200_000, 40_000, 4),
        Budget = new KeyBudget(25_000_000, BudgetPeriod.Monthly),
        ExpiresAt = new DateTimeOffset(2027, 6, 30, 0, 0, 0, TimeSpan.Zero),
        Labels = new Dictionary<string, string> { ["team"] = "search", ["owner"] = "Zoë" },
        CreatedAt = created ?? Created,
    };

    [Fact]
    public async Task A_created_key_is_found_with_every_field_as_stored()
    {
        var key = Key("AbCdEf012345");
        await Store.Keys.CreateAsync(key, CancellationToken.None);

        var found = await Store.Keys.FindAsync("AbCdEf012345", CancellationToken.None);

        Assert.NotNull(found);
        Assert.Equal(key.Id, found.Id);
        Assert.Equal(key.Name, found.Name);
        Assert.Equal(key.SecretHash, found.SecretHash);
        Assert.Equal(["qwen3*", "gpt-oss-120b"], found.Models);
        Assert.Equal(new KeyLimits(60, 200_000, 40_000, 4), found.Limits);
        Assert.Equal(new KeyBudget(25_000_000, BudgetPeriod.Monthly), found.Budget);
        Assert.Equal(key.ExpiresAt, found.ExpiresAt);
        Assert.False(found.Disabled);
        Assert.Equal("search", found.Labels["team"]);
        Assert.Equal("Zoë", found.Labels["owner"]);
        Assert.Equal(Created, found.CreatedAt);
        Assert.Null(found.RevokedAt);
    }

    [Fact]
    public async Task A_key_without_limits_budget_or_expiry_reads_back_unlimited()
    {
        await Store.Keys.CreateAsync(new ApiKeyRecord { Id = "plain0000000", Name = "plain", SecretHash = "h", CreatedAt = Created }, CancellationToken.None);

        var found = await Store.Keys.FindAsync("plain0000000", CancellationToken.None);

        Assert.NotNull(found);
        Assert.Empty(found.Models);
        Assert.Equal(KeyLimits.None, found.Limits);
        Assert.Null(found.Budget);
        Assert.Null(found.ExpiresAt);
        Assert.Empty(found.Labels);
    }

    [Fact]
    public async Task An_unknown_id_is_not_found_and_ids_match_exactly()
    {
        await Store.Keys.CreateAsync(Key("AbCdEf012345"), CancellationToken.None);

        Assert.Null(await Store.Keys.FindAsync("nope", CancellationToken.None));
        Assert.Null(await Store.Keys.FindAsync("abcdef012345", CancellationToken.None));
    }

    [Fact]
    public async Task A_second_key_with_the_same_id_is_refused()
    {
        await Store.Keys.CreateAsync(Key("dup000000000"), CancellationToken.None);

        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => Store.Keys.CreateAsync(Key("dup000000000"), CancellationToken.None));
    }

    [Fact]
    public async Task Update_replaces_the_key_and_reports_an_unknown_id()
    {
        await Store.Keys.CreateAsync(Key("upd000000000"), CancellationToken.None);
        var revoked = new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero);
        var changed = Key("upd000000000") with
        {
            Name = "renamed",
            Models = [],
            Limits = new KeyLimits(null, null, 1_000, null),
            Budget = new KeyBudget(5, BudgetPeriod.Total),
            Disabled = true,
            RevokedAt = revoked,
        };

        Assert.True(await Store.Keys.UpdateAsync(changed, CancellationToken.None));
        Assert.False(await Store.Keys.UpdateAsync(Key("missing00000"), CancellationToken.None));

        var found = await Store.Keys.FindAsync("upd000000000", CancellationToken.None);
        Assert.NotNull(found);
        Assert.Equal("renamed", found.Name);
        Assert.Empty(found.Models);
        Assert.Equal(new KeyLimits(null, null, 1_000, null), found.Limits);
        Assert.Equal(new KeyBudget(5, BudgetPeriod.Total), found.Budget);
        Assert.True(found.Disabled);
        Assert.Equal(revoked, found.RevokedAt);
        Assert.Null(await Store.Keys.FindAsync("missing00000", CancellationToken.None));
    }

    [Fact]
    public async Task List_returns_every_key_oldest_first_revoked_included()
    {
        await Store.Keys.CreateAsync(Key("second000000", Created.AddMinutes(1)) with { RevokedAt = Created.AddMinutes(2) }, CancellationToken.None);
        await Store.Keys.CreateAsync(Key("first0000000", Created), CancellationToken.None);
        await Store.Keys.CreateAsync(Key("third0000000", Created.AddMinutes(5)), CancellationToken.None);

        var keys = await Store.Keys.ListAsync(CancellationToken.None);

        Assert.Equal(["first0000000", "second000000", "third0000000"], keys.Select(k => k.Id));
        Assert.NotNull(keys[1].RevokedAt);
    }

    [Fact]
    public async Task Any_active_counts_keys_neither_revoked_nor_expired()
    {
        var now = new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.False(await Store.Keys.AnyActiveAsync(now, CancellationToken.None));

        await Store.Keys.CreateAsync(Key("revoked00000") with { RevokedAt = now.AddDays(-1) }, CancellationToken.None);
        await Store.Keys.CreateAsync(Key("expired00000") with { ExpiresAt = now }, CancellationToken.None);
        Assert.False(await Store.Keys.AnyActiveAsync(now, CancellationToken.None));

        await Store.Keys.CreateAsync(Key("disabled0000") with { ExpiresAt = now.AddSeconds(1), Disabled = true }, CancellationToken.None);
        Assert.True(await Store.Keys.AnyActiveAsync(now, CancellationToken.None));
        Assert.False(await Store.Keys.AnyActiveAsync(now.AddSeconds(1), CancellationToken.None));
    }

    [Fact]
    public async Task Keys_written_by_one_store_are_read_by_another_on_the_same_database()
    {
        await Store.Keys.CreateAsync(Key("shared000000"), CancellationToken.None);
        await using var other = await Storage.OpenAsync();

        var found = await other.Keys.FindAsync("shared000000", CancellationToken.None);

        Assert.Equal("alice shared000000", found?.Name);
    }
}

public sealed class SqliteKeyStoreTests() : KeyStoreTests(StoreDialect.Sqlite);

public sealed class PostgresKeyStoreTests() : KeyStoreTests(StoreDialect.PostgreSql);
