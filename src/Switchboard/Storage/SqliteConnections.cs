using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Switchboard.Storage;

/// <summary>
/// The embedded store: <c>switchboard.db</c> in the data directory. Connections are pooled by the driver; each one
/// waits for a busy writer rather than failing, and commits without an fsync per transaction (WAL with
/// synchronous=NORMAL: a power cut may lose the last transactions, never corrupt the file).
/// </summary>
public sealed class SqliteConnections : StoreConnections
{
    public const string FileName = "switchboard.db";

    /// <summary>How long a statement waits for another connection's write transaction before failing.</summary>
    private const int BusyTimeoutMs = 10_000;

    private readonly string _connectionString;

    public SqliteConnections(string directory)
    {
        Path = System.IO.Path.Combine(directory, FileName);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = BusyTimeoutMs / 1000,
        }.ToString();
    }

    public string Path { get; }

    public override StoreDialect Dialect => StoreDialect.Sqlite;

    public override string Description => "SQLite database " + Path;

    /// <summary>The default data directory: <c>~/.local/share/switchboard</c> on Linux (the user's local data folder).</summary>
    public static string DefaultDirectory()
    {
        var root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        return string.IsNullOrEmpty(root) ? System.IO.Path.GetFullPath("switchboard-data") : System.IO.Path.Combine(root, "switchboard");
    }

    public override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            using var pragmas = connection.CreateCommand();
            pragmas.CommandText = $"PRAGMA busy_timeout = {BusyTimeoutMs}; PRAGMA synchronous = NORMAL;";
            await pragmas.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public override ValueTask DisposeAsync()
    {
        // Pooled connections keep the file open (and its WAL unmerged); release them with the store.
        SqliteConnection.ClearPool(new SqliteConnection(_connectionString));
        return base.DisposeAsync();
    }
}
