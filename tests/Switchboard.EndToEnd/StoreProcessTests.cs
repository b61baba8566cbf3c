using Microsoft.Data.Sqlite;
using Npgsql;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.EndToEnd.Hostile;
using Switchboard.Storage;

namespace Switchboard.EndToEnd;

/// <summary>
/// Several Switchboard processes started at once on one new store: every one comes up, and the schema is migrated
/// exactly once (the migration lock), on SQLite and on PostgreSQL.
/// </summary>
public sealed class StoreProcessTests
{
    private const int Processes = 3;

    [Fact]
    public async Task Processes_started_at_once_on_one_data_directory_all_serve_and_migrate_once()
    {
        var directory = TestDataRoot.FreshDirectory();

        await StartTogetherAsync("--Switchboard:Storage:DataDirectory=" + directory);

        await using var connection = new SqliteConnection($"Data Source={Path.Combine(directory, "switchboard.db")};Pooling=false");
        await connection.OpenAsync();
        await using var versions = connection.CreateCommand();
        versions.CommandText = "SELECT COUNT(*), COUNT(DISTINCT version), MIN(version) FROM schema_version";
        await using var reader = await versions.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(((long)Migrations.All.Count, (long)Migrations.All.Count, 1L), (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)));
    }

    [Fact]
    public async Task Processes_started_at_once_on_one_postgresql_database_all_serve_and_migrate_once()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();

        await StartTogetherAsync("--Switchboard:Storage:PostgreSql=" + database.ConnectionString);

        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var versions = new NpgsqlCommand("SELECT COUNT(*), COUNT(DISTINCT version), MIN(version) FROM schema_version", connection);
        await using var reader = await versions.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(((long)Migrations.All.Count, (long)Migrations.All.Count, 1L), (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)));
    }

    private static async Task StartTogetherAsync(string store)
    {
        var starting = Enumerable.Range(0, Processes)
            .Select(_ => SwitchboardProcess.StartAsync(["--Logging:LogLevel:Default=Warning", store]))
            .ToList();
        try
        {
            var started = await Task.WhenAll(starting);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            foreach (var process in started)
            {
                Assert.Equal("ready\n", await http.GetStringAsync(process.BaseUrl + "/healthz/ready"));
            }
        }
        finally
        {
            foreach (var task in starting)
            {
                if (task.IsCompletedSuccessfully)
                {
                    await task.Result.DisposeAsync();
                }
            }
        }
    }
}
