using System.Data.Common;
using Dapper;

namespace Switchboard.Storage;

/// <summary>
/// Brings the schema up to date at start. Several processes may start at once: each takes the store's migration
/// lock first (a PostgreSQL advisory lock; on SQLite an immediate transaction, which holds the only write lock), then
/// reads the version and applies what is missing, so every migration runs exactly once.
/// </summary>
public static class Migrator
{
    /// <summary>The advisory lock id every Switchboard process migrates under ("SWCHBRD" in ASCII).</summary>
    private const long PostgresLockId = 0x53574348425244;

    private const string CreateVersionTable =
        "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)";

    /// <summary>Applies missing migrations; returns how many this call applied (0 when another process did).</summary>
    public static async Task<int> MigrateAsync(
        StoreConnections connections, IReadOnlyList<Migration> migrations, TimeProvider time, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return connections.Dialect == StoreDialect.PostgreSql
            ? await MigratePostgresAsync(connection, migrations, time, cancellationToken)
            : await MigrateSqliteAsync(connection, migrations, time, cancellationToken);
    }

    private static async Task<int> MigrateSqliteAsync(DbConnection connection, IReadOnlyList<Migration> migrations, TimeProvider time, CancellationToken cancellationToken)
    {
        // WAL is a property of the file, set once outside a transaction; readers then never block the writer.
        await connection.ExecuteAsync(new CommandDefinition("PRAGMA journal_mode = WAL", cancellationToken: cancellationToken));

        // BEGIN IMMEDIATE: the write lock is taken before the version is read, so a second process waits here
        // (busy_timeout) and then finds the work done.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var applied = await ApplyAsync(connection, transaction, migrations, time, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return applied;
    }

    private static async Task<int> MigratePostgresAsync(DbConnection connection, IReadOnlyList<Migration> migrations, TimeProvider time, CancellationToken cancellationToken)
    {
        // Session-level lock, held across the transaction below and released even if it fails.
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@id)", new { id = PostgresLockId }, cancellationToken: cancellationToken));
        try
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var applied = await ApplyAsync(connection, transaction, migrations, time, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return applied;
        }
        finally
        {
            await connection.ExecuteAsync("SELECT pg_advisory_unlock(@id)", new { id = PostgresLockId });
        }
    }

    private static async Task<int> ApplyAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<Migration> migrations, TimeProvider time, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(CreateVersionTable, transaction: transaction, cancellationToken: cancellationToken));
        var current = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT MAX(version) FROM schema_version", transaction: transaction, cancellationToken: cancellationToken)) ?? 0;
        var latest = migrations.Count == 0 ? 0 : migrations.Max(m => m.Version);
        if (current > latest)
        {
            throw new StoreUnavailableException(
                $"the store's schema is at version {current}, newer than this Switchboard knows ({latest}); run a newer Switchboard against it");
        }

        var applied = 0;
        foreach (var migration in migrations.Where(m => m.Version > current).OrderBy(m => m.Version))
        {
            await connection.ExecuteAsync(new CommandDefinition(migration.Sql, transaction: transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_version (version, name, applied_at) VALUES (@Version, @Name, @At)",
                new { migration.Version, migration.Name, At = time.GetUtcNow().ToUnixTimeMilliseconds() },
                transaction, cancellationToken: cancellationToken));
            applied++;
        }

        return applied;
    }
}
