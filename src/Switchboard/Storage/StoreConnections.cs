using System.Data.Common;

namespace Switchboard.Storage;

/// <summary>Opens connections to the store's database, ready for use (per-connection settings applied).</summary>
public abstract class StoreConnections : IAsyncDisposable
{
    public abstract StoreDialect Dialect { get; }

    /// <summary>Where the store is, for messages: a file path, or host, port and database (never a password).</summary>
    public abstract string Description { get; }

    public abstract ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken);

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
