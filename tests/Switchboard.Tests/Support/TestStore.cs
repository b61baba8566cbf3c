using Switchboard.Configuration;
using Switchboard.Storage;

namespace Switchboard.Tests.Support;

/// <summary>
/// Storage for one test: a fresh SQLite data directory or a fresh PostgreSQL database, with the options pointing at
/// it; <see cref="OpenAsync"/> opens (and migrates) a store on it, as many times as a test wants.
/// </summary>
public sealed class TestStore : IAsyncDisposable
{
    private readonly TempDirectory? _directory;
    private readonly PostgresTestDatabase? _database;
    private readonly List<SwitchboardStore> _opened = [];

    private TestStore(StoreDialect dialect, TempDirectory? directory, PostgresTestDatabase? database)
    {
        Dialect = dialect;
        _directory = directory;
        _database = database;
        Options = new StorageOptions { DataDirectory = directory?.Path, PostgreSql = database?.ConnectionString };
    }

    public StoreDialect Dialect { get; }

    public StorageOptions Options { get; }

    public static async Task<TestStore> CreateAsync(StoreDialect dialect) => dialect == StoreDialect.PostgreSql
        ? new TestStore(dialect, null, await PostgresTestDatabase.CreateAsync())
        : new TestStore(dialect, new TempDirectory(), null);

    public async Task<SwitchboardStore> OpenAsync(TimeProvider? time = null)
    {
        var store = await SwitchboardStore.OpenAsync(Options, time ?? TimeProvider.System, CancellationToken.None);
        lock (_opened)
        {
            _opened.Add(store);
        }

        return store;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _opened)
        {
            await store.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        _directory?.Dispose();
    }
}
