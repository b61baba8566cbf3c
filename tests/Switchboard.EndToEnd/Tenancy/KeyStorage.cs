using Npgsql;
using Switchboard.Configuration;
using Switchboard.Storage;

namespace Switchboard.EndToEnd.Tenancy;

/// <summary>Which store a test runs against.</summary>
public enum StoreKind
{
    Sqlite,
    PostgreSql,
}

/// <summary>
/// A fresh store for one test, shared by every Switchboard process and command the test starts: a temporary SQLite
/// data directory, or a new database on the test PostgreSQL (<c>SWITCHBOARD_TEST_POSTGRES</c>, set by
/// build/test-services.sh; unset, the PostgreSQL tests fail saying so). <see cref="BreakAsync"/> takes it away.
/// </summary>
public sealed class KeyStorage : IAsyncDisposable
{
    private readonly string? _directory;
    private readonly string? _database;
    private readonly List<SwitchboardStore> _opened = [];

    private KeyStorage(StoreKind kind, string? directory, string? database, string? connectionString)
    {
        Kind = kind;
        _directory = directory;
        _database = database;
        Options = new StorageOptions { DataDirectory = directory, PostgreSql = connectionString };
    }

    public StoreKind Kind { get; }

    public StorageOptions Options { get; }

    /// <summary>The flags pointing Switchboard (server or command) at this store.</summary>
    public string[] Args => Kind == StoreKind.Sqlite ? ["--data-dir", _directory!] : ["--postgres", Options.PostgreSql!];

    public static async Task<KeyStorage> CreateAsync(StoreKind kind)
    {
        if (kind == StoreKind.Sqlite)
        {
            return new KeyStorage(kind, Directory.CreateTempSubdirectory("switchboard-keys-").FullName, null, null);
        }

        var name = "sb_keys_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(Server))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        var database = new NpgsqlConnectionStringBuilder(Server) { Database = name, Pooling = false, Timeout = 5 };
        return new KeyStorage(kind, null, name, database.ConnectionString);
    }

    /// <summary>Opens the store directly, as another process would (to write ledger rows, to change keys behind a server's back).</summary>
    public async Task<SwitchboardStore> OpenAsync()
    {
        var store = await SwitchboardStore.OpenAsync(Options, TimeProvider.System, CancellationToken.None);
        _opened.Add(store);
        return store;
    }

    /// <summary>Makes the store unusable: the PostgreSQL database is dropped, the SQLite data directory moved away.</summary>
    public async Task BreakAsync()
    {
        if (Kind == StoreKind.Sqlite)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Move(_directory!, _directory + ".gone");
            return;
        }

        await DropAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _opened)
        {
            await store.DisposeAsync();
        }

        if (_directory is not null)
        {
            foreach (var path in new[] { _directory, _directory + ".gone" })
            {
                if (Directory.Exists(path))
                {
                    Directory.Delete(path, recursive: true);
                }
            }
        }

        if (_database is not null)
        {
            await DropAsync();
        }
    }

    private static string Server => Environment.GetEnvironmentVariable("SWITCHBOARD_TEST_POSTGRES") is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException("SWITCHBOARD_TEST_POSTGRES is not set: this test needs PostgreSQL. Run the tests under build/test-services.sh.");

    private async Task DropAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(Server);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
