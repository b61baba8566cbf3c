using Dapper;
using Switchboard.Tenancy;

namespace Switchboard.Storage;

/// <summary>
/// Shared settings in the <c>settings</c> table. The insert yields to a row already there (or being inserted by
/// another process, which it waits for), and the value is then read back: every caller gets the first writer's value.
/// </summary>
public sealed class SqlSettingsStore(StoreConnections connections, TimeProvider time) : ISettingsStore
{
    public async Task<string> GetOrAddAsync(string name, string value, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO settings (name, value, created_at) VALUES (@name, @value, @at) ON CONFLICT (name) DO NOTHING",
            new { name, value, at = UnixTime.Ms(time.GetUtcNow()) }, cancellationToken: cancellationToken));
        return await connection.ExecuteScalarAsync<string>(new CommandDefinition(
            "SELECT value FROM settings WHERE name = @name", new { name }, cancellationToken: cancellationToken))
            ?? throw new InvalidOperationException($"setting '{name}' vanished after it was stored");
    }
}
