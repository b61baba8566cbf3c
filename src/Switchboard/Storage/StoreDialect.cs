namespace Switchboard.Storage;

/// <summary>Which database holds the store; the schema and nearly all SQL are the same for both.</summary>
public enum StoreDialect
{
    Sqlite,
    PostgreSql,
}
