using Dapper;
using Switchboard.Storage;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Storage;

public abstract class MigrationTests(StoreDialect dialect) : IAsyncLifetime
{
    private TestStore _storage = null!;

    public async Task InitializeAsync() => _storage = await TestStore.CreateAsync(dialect);

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    [Fact]
    public async Task Stores_opened_at_once_apply_each_migration_exactly_once()
    {
        // Eight stores, each with its own connection pool (as separate processes would have), all migrating at once.
        using var start = new ManualResetEventSlim();
        var opening = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return await _storage.OpenAsync();
        })).ToList();
        start.Set();
        var stores = await Task.WhenAll(opening);

        await using var connection = await stores[0].Connections.OpenAsync(CancellationToken.None);
        var versions = (await connection.QueryAsync<long>("SELECT version FROM schema_version ORDER BY version")).ToList();
        Assert.Equal(Migrations.All.Select(m => (long)m.Version), versions);
        Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM api_keys"));
    }

    [Fact]
    public async Task Reopening_a_migrated_store_applies_nothing_and_a_new_migration_once()
    {
        await using (await _storage.OpenAsync())
        {
        }

        await using var connections = Connections();
        Assert.Equal(0, await Migrator.MigrateAsync(connections, Migrations.All, TimeProvider.System, CancellationToken.None));

        // The new migration reads for a while before it writes, so migrators that did not wait for each other
        // would all see the old version and all try to add the column.
        var next = Migrations.All.Max(m => m.Version) + 1;
        List<Migration> withNew = [.. Migrations.All, new Migration(next, "test column", $"""
            {SlowRead}
            ALTER TABLE settings ADD COLUMN note TEXT NULL;
            """)];
        using var together = new Barrier(4);
        var applied = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Factory.StartNew(async () =>
        {
            await using var own = Connections();
            together.SignalAndWait();
            return await Migrator.MigrateAsync(own, withNew, TimeProvider.System, CancellationToken.None);
        }, TaskCreationOptions.LongRunning).Unwrap()));

        Assert.Equal(1, applied.Sum());
        await using var connection = await connections.OpenAsync(CancellationToken.None);
        Assert.Equal(next, await connection.ExecuteScalarAsync<long>("SELECT MAX(version) FROM schema_version"));
    }

    [Fact]
    public async Task A_schema_newer_than_this_build_is_refused_with_a_plain_message()
    {
        await using (await _storage.OpenAsync())
        {
        }

        await using var connections = Connections();
        await using (var connection = await connections.OpenAsync(CancellationToken.None))
        {
            await connection.ExecuteAsync("INSERT INTO schema_version (version, name, applied_at) VALUES (999, 'future', 0)");
        }

        var refused = await Assert.ThrowsAsync<StoreUnavailableException>(() => _storage.OpenAsync());
        Assert.Contains("version 999", refused.Message);
        Assert.Contains("newer than this Switchboard knows", refused.Message);
    }

    /// <summary>About a tenth of a second of reading on either database.</summary>
    private static string SlowRead => "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 300000) SELECT COUNT(*) FROM n;";

    private StoreConnections Connections() => _storage.Options.PostgreSql is { } postgres
        ? new PostgresConnections(postgres)
        : new SqliteConnections(_storage.Options.DataDirectory!);
}

public sealed class SqliteMigrationTests() : MigrationTests(StoreDialect.Sqlite);

public sealed class PostgresMigrationTests() : MigrationTests(StoreDialect.PostgreSql);
