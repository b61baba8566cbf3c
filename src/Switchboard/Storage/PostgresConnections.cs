using System.Data.Common;
using Npgsql;

namespace Switchboard.Storage;

/// <summary>The shared store: one PostgreSQL data source (a small pool) for the process.</summary>
public sealed class PostgresConnections : StoreConnections
{
    /// <summary>Npgsql's default pool is 100 connections; a gateway process needs a handful, and several share one server.</summary>
    private const int DefaultMaxPoolSize = 10;

    private readonly NpgsqlDataSource _dataSource;

    public PostgresConnections(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException bad)
        {
            throw new StoreUnavailableException("not a valid PostgreSQL connection string: " + bad.Message, bad);
        }

        if (!connectionString.Contains("pool size", StringComparison.OrdinalIgnoreCase)
            && !connectionString.Contains("maxpoolsize", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxPoolSize = DefaultMaxPoolSize;
        }

        Description = $"PostgreSQL database '{builder.Database ?? builder.Username}' on {builder.Host}:{builder.Port}";
        _dataSource = NpgsqlDataSource.Create(builder);
    }

    public override StoreDialect Dialect => StoreDialect.PostgreSql;

    public override string Description { get; }

    public override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    public override async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await base.DisposeAsync();
    }
}
