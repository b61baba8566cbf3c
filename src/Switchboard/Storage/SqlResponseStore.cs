using System.Data.Common;
using System.Text.Json;
using Dapper;
using Switchboard.Tenancy;

namespace Switchboard.Storage;

/// <summary>
/// Stored responses of the Responses API in the <c>responses</c> table (the response object and its input items as
/// JSON text, the key that created them, the creation time retention goes by), and the ids of their output and
/// input items in <c>response_items</c>, written in the same transaction, so <c>item_reference</c> finds an item's
/// response in one indexed lookup.
/// </summary>
public sealed class SqlResponseStore(StoreConnections connections) : IResponseStore
{
    /// <summary>Responses deleted per statement, so retention never holds the write lock for long (a row may be large).</summary>
    public const int DeleteBatch = 500;

    private const string Columns =
        "r.id AS Id, r.key_id AS KeyId, r.created_at AS CreatedAt, r.response_json AS ResponseJson, r.input_items_json AS InputItemsJson";

    public async Task SaveAsync(StoredResponse response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        var itemIds = ItemIds(response);
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO responses (id, key_id, created_at, response_json, input_items_json)
            VALUES (@Id, @KeyId, @CreatedAt, @ResponseJson, @InputItemsJson)
            ON CONFLICT (id) DO UPDATE SET key_id = excluded.key_id, created_at = excluded.created_at,
                response_json = excluded.response_json, input_items_json = excluded.input_items_json
            """, new
        {
            response.Id,
            response.KeyId,
            CreatedAt = UnixTime.Ms(response.CreatedAt),
            response.ResponseJson,
            response.InputItemsJson,
        }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM response_items WHERE response_id = @Id", new { response.Id }, transaction, cancellationToken: cancellationToken));
        if (itemIds.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO response_items (item_id, response_id) VALUES (@ItemId, @ResponseId) ON CONFLICT (item_id, response_id) DO NOTHING",
                itemIds.Select(item => new { ItemId = item, ResponseId = response.Id }), transaction, cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<StoredResponse?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ResponseRow>(new CommandDefinition(
            $"SELECT {Columns} FROM responses r WHERE r.id = @id", new { id }, cancellationToken: cancellationToken));
        return row?.ToStored();
    }

    public async Task<StoredResponse?> FindByItemAsync(string itemId, string? keyId, CancellationToken cancellationToken)
    {
        var owner = keyId is null ? "r.key_id IS NULL" : "r.key_id = @keyId";
        await using var connection = await connections.OpenAsync(cancellationToken);
        var row = await connection.QueryFirstOrDefaultAsync<ResponseRow>(new CommandDefinition($"""
            SELECT {Columns} FROM response_items i JOIN responses r ON r.id = i.response_id
            WHERE i.item_id = @itemId AND {owner}
            ORDER BY r.created_at DESC, r.id DESC LIMIT 1
            """, new { itemId, keyId }, cancellationToken: cancellationToken));
        return row?.ToStored();
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM response_items WHERE response_id = @id", new { id }, transaction, cancellationToken: cancellationToken));
        var deleted = await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM responses WHERE id = @id", new { id }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return deleted > 0;
    }

    public async Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var total = 0;
        while (true)
        {
            var (found, deleted) = await DeleteBatchAsync(connection, UnixTime.Ms(cutoff), cancellationToken);
            total += deleted;
            if (found < DeleteBatch)
            {
                return total;
            }
        }
    }

    /// <summary>One batch of the oldest responses past the cutoff and their item ids, in one transaction.</summary>
    private async Task<(int Found, int Deleted)> DeleteBatchAsync(DbConnection connection, long cutoff, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var ids = (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT id FROM responses WHERE created_at < @cutoff ORDER BY created_at LIMIT @batch",
            new { cutoff, batch = (long)DeleteBatch }, transaction, cancellationToken: cancellationToken))).ToList();
        if (ids.Count == 0)
        {
            return (0, 0);
        }

        // Npgsql takes the list as one array parameter; for SQLite, Dapper expands it into one parameter per id.
        var among = connections.Dialect == StoreDialect.PostgreSql ? "= ANY(@ids)" : "IN @ids";
        await connection.ExecuteAsync(new CommandDefinition(
            $"DELETE FROM response_items WHERE response_id {among}", new { ids = ids.ToArray() }, transaction, cancellationToken: cancellationToken));
        var deleted = await connection.ExecuteAsync(new CommandDefinition(
            $"DELETE FROM responses WHERE id {among}", new { ids = ids.ToArray() }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return (ids.Count, deleted);
    }

    /// <summary>The ids of the response's output items and of its input items (items without one are not indexed).</summary>
    private static HashSet<string> ItemIds(StoredResponse response)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        using (var document = JsonDocument.Parse(response.ResponseJson))
        {
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("output", out var output))
            {
                AddIds(output, ids);
            }
        }

        using (var items = JsonDocument.Parse(response.InputItemsJson))
        {
            AddIds(items.RootElement, ids);
        }

        return ids;
    }

    private static void AddIds(JsonElement items, HashSet<string> ids)
    {
        if (items.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        foreach (var item in items.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
                && id.GetString() is { Length: > 0 } value)
            {
                ids.Add(value);
            }
        }
    }

    private sealed class ResponseRow
    {
        public string Id { get; set; } = "";

        public string? KeyId { get; set; }

        public long CreatedAt { get; set; }

        public string ResponseJson { get; set; } = "";

        public string InputItemsJson { get; set; } = "[]";

        public StoredResponse ToStored() => new()
        {
            Id = Id,
            KeyId = KeyId,
            CreatedAt = UnixTime.From(CreatedAt),
            ResponseJson = ResponseJson,
            InputItemsJson = InputItemsJson,
        };
    }
}
