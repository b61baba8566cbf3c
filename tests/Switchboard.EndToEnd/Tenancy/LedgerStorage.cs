using Npgsql;

namespace Switchboard.EndToEnd.Tenancy;

/// <summary>
/// A fresh store for one test: a SQLite data directory in a temporary folder, or a new database on the PostgreSQL
/// that <c>build/test-services.sh</c> starts (<c>SWITCHBOARD_TEST_POSTGRES</c>; unset, the PostgreSQL tests fail and
/// say so). <see cref="Args"/> points Switchboard at it.
/// </summary>
public sealed class LedgerStorage : IAsyncDisposable
{
    public const string PostgresVariable = "SWITCHBOARD_TEST_POSTGRES";
    public const string RedisVariable = "SWITCHBOARD_TEST_REDIS";

    private readonly string? _directory;
    private readonly string? _database;

    private LedgerStorage(string? directory, string? database, string? connectionString)
    {
        _directory = directory;
        _database = database;
        Args = directory is not null ? ["--data-dir", directory] : [$"--Switchboard:Storage:PostgreSql={connectionString}"];
    }

    public IReadOnlyList<string> Args { get; }

    public static async Task<LedgerStorage> CreateAsync(string kind)
    {
        if (kind == "sqlite")
        {
            var directory = Path.Combine(Path.GetTempPath(), "switchboard-ledger-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(directory);
            return new LedgerStorage(directory, null, null);
        }

        var server = Required(PostgresVariable, "PostgreSQL");
        var name = "sb_ledger_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new LedgerStorage(null, name, new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString);
    }

    public static string Required(string variable, string what) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{variable} is not set: this test needs {what}. Run the tests under build/test-services.sh "
                + "(build/test-services.sh dotnet test Switchboard.slnx -c Release), which starts PostgreSQL and Redis and sets it.");

    public async ValueTask DisposeAsync()
    {
        if (_database is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(Required(PostgresVariable, "PostgreSQL"));
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }

        if (_directory is not null)
        {
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
