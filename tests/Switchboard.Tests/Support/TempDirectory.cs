using Microsoft.Data.Sqlite;

namespace Switchboard.Tests.Support;

/// <summary>A new empty directory under the temp folder (a test's data directory), deleted on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("switchboard-test-").FullName;

    public void Dispose()
    {
        // Pooled SQLite connections keep the database file open.
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean: a file still held by a connection another test owns.
        }
    }
}
