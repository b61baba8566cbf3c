using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using Switchboard.Configuration;
using Switchboard.Tenancy;

namespace Switchboard.Storage;

/// <summary>
/// The opened, migrated store and its four ports: keys, settings, the usage ledger and stored responses. SQLite in the data
/// directory unless <see cref="StorageOptions.PostgreSql"/> is set. The server opens one at start; the command line
/// opens one per command.
/// </summary>
public sealed class SwitchboardStore : IAsyncDisposable
{
    private SwitchboardStore(StoreConnections connections, TimeProvider time)
    {
        Connections = connections;
        Keys = new SqlKeyStore(connections);
        Settings = new SqlSettingsStore(connections, time);
        Ledger = new SqlUsageLedgerStore(connections);
        Responses = new SqlResponseStore(connections);
    }

    public StoreConnections Connections { get; }

    public IKeyStore Keys { get; }

    public ISettingsStore Settings { get; }

    public IUsageLedgerStore Ledger { get; }

    /// <summary>Stored responses of the Responses API (<c>store: true</c>).</summary>
    public IResponseStore Responses { get; }

    /// <summary>
    /// Opens the configured store and applies missing migrations. Any failure (a directory that cannot be created,
    /// an unreadable file, an unreachable server, bad credentials) is one <see cref="StoreUnavailableException"/>
    /// with a plain message.
    /// </summary>
    public static async Task<SwitchboardStore> OpenAsync(StorageOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        var connections = Connect(options);
        try
        {
            await Migrator.MigrateAsync(connections, Migrations.All, time, cancellationToken);
            return new SwitchboardStore(connections, time);
        }
        catch (Exception failure) when (failure is DbException or IOException or UnauthorizedAccessException or TimeoutException or InvalidOperationException)
        {
            await connections.DisposeAsync();
            throw new StoreUnavailableException($"cannot open the store ({connections.Description}): {Reason(failure)}", failure);
        }
        catch
        {
            await connections.DisposeAsync();
            throw;
        }
    }

    private static StoreConnections Connect(StorageOptions options)
    {
        if (options.PostgreSql is { Length: > 0 } connectionString)
        {
            return new PostgresConnections(connectionString);
        }

        var directory = options.DataDirectory is { Length: > 0 } configured ? Path.GetFullPath(configured) : SqliteConnections.DefaultDirectory();
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new StoreUnavailableException($"cannot create the data directory {directory}: {failure.Message}", failure);
        }

        return new SqliteConnections(directory);
    }

    /// <summary>The driver's own words, first line only: no stack, no connection string.</summary>
    private static string Reason(Exception failure)
    {
        var message = failure switch
        {
            SqliteException sqlite => sqlite.Message,
            PostgresException postgres => postgres.MessageText,
            NpgsqlException { InnerException: { } inner } => failure.Message + " (" + inner.Message + ")",
            _ => failure.Message,
        };
        return message.Split('\n')[0].Trim();
    }

    public ValueTask DisposeAsync() => Connections.DisposeAsync();
}
