using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text;
using Dapper;
using Switchboard.Tenancy;

namespace Switchboard.Storage;

/// <summary>
/// Message batches in <c>message_batches</c> and their requests in <c>message_batch_requests</c> (the Messages request
/// as JSON text until it has an outcome, then the result line's JSON). A request is claimed by setting
/// <c>claimed_until</c> in the future, in a transaction that skips rows another process holds locked (PostgreSQL
/// <c>FOR UPDATE SKIP LOCKED</c>; SQLite has one writer at a time), so no two processes run it at once; its outcome is
/// written only while it is still pending, so a request run twice (a process that died mid-way) keeps one result.
/// </summary>
public sealed class SqlBatchStore(StoreConnections connections) : IBatchStore
{
    /// <summary>Rows per INSERT: well under both databases' limits on parameters per statement.</summary>
    private const int InsertRows = 200;

    /// <summary>Batches looked at per claim, oldest first.</summary>
    private const int ClaimBatches = 50;

    private const string BatchColumns = """
        id AS Id, key_id AS KeyId, status AS Status, request_count AS RequestCount, succeeded AS Succeeded, errored AS Errored,
        canceled AS Canceled, expired AS Expired, created_at AS CreatedAt, ends_at AS EndsAt, ended_at AS EndedAt,
        cancel_initiated_at AS CancelInitiatedAt
        """;

    private bool Postgres => connections.Dialect == StoreDialect.PostgreSql;

    public async Task CreateAsync(BatchRecord batch, IEnumerable<BatchRequestInput> requests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(requests);
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO message_batches (id, key_id, status, request_count, succeeded, errored, canceled, expired, created_at, ends_at, ended_at, cancel_initiated_at)
            VALUES (@Id, @KeyId, @Status, @RequestCount, 0, 0, 0, 0, @CreatedAt, @EndsAt, NULL, NULL)
            """, new
        {
            batch.Id,
            batch.KeyId,
            batch.Status,
            RequestCount = (long)batch.RequestCount,
            CreatedAt = UnixTime.Ms(batch.CreatedAt),
            EndsAt = UnixTime.Ms(batch.EndsAt),
        }, transaction, cancellationToken: cancellationToken));

        var chunk = new List<BatchRequestInput>(InsertRows);
        foreach (var request in requests)
        {
            chunk.Add(request);
            if (chunk.Count == InsertRows)
            {
                await InsertAsync(connection, transaction, batch.Id, chunk, cancellationToken);
                chunk.Clear();
            }
        }

        if (chunk.Count > 0)
        {
            await InsertAsync(connection, transaction, batch.Id, chunk, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<BatchRecord?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await FindAsync(connection, null, id, cancellationToken);
    }

    public async Task<IReadOnlyList<BatchRecord>> ListAsync(string? keyId, string? beforeId, string? afterId, int limit, CancellationToken cancellationToken)
    {
        var owner = keyId is null ? "key_id IS NULL" : "key_id = @keyId";
        await using var connection = await connections.OpenAsync(cancellationToken);
        var cursorId = afterId ?? beforeId;
        long cursorAt = 0;
        if (cursorId is not null)
        {
            var cursor = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
                $"SELECT created_at FROM message_batches WHERE id = @cursorId AND {owner}", new { cursorId, keyId }, cancellationToken: cancellationToken));
            if (cursor is null)
            {
                return [];
            }

            cursorAt = cursor.Value;
        }

        // Newest first; after_id pages towards older batches, before_id towards newer ones (read oldest first, then turned).
        var (where, order) = afterId is not null
            ? (" AND (created_at < @cursorAt OR (created_at = @cursorAt AND id < @cursorId))", "created_at DESC, id DESC")
            : beforeId is not null
                ? (" AND (created_at > @cursorAt OR (created_at = @cursorAt AND id > @cursorId))", "created_at ASC, id ASC")
                : ("", "created_at DESC, id DESC");
        var rows = (await connection.QueryAsync<BatchRow>(new CommandDefinition(
            $"SELECT {BatchColumns} FROM message_batches WHERE {owner}{where} ORDER BY {order} LIMIT @limit",
            new { keyId, cursorId, cursorAt, limit = (long)limit }, cancellationToken: cancellationToken))).Select(r => r.ToRecord()).ToList();
        if (beforeId is not null)
        {
            rows.Reverse();
        }

        return rows;
    }

    public async Task<BatchRecord?> CancelAsync(string id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE message_batches SET status = @canceling, cancel_initiated_at = @now WHERE id = @id AND status = @inProgress",
            new { id, now = UnixTime.Ms(now), canceling = BatchStatus.Canceling, inProgress = BatchStatus.InProgress }, transaction, cancellationToken: cancellationToken));
        var batch = await FindAsync(connection, transaction, id, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return batch;
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var deleted = await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM message_batches WHERE id = @id AND status = @ended", new { id, ended = BatchStatus.Ended }, transaction, cancellationToken: cancellationToken));
        if (deleted > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM message_batch_requests WHERE batch_id = @id", new { id }, transaction, cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return deleted > 0;
    }

    public async Task<IReadOnlyList<BatchWork>> ClaimAsync(int max, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        var claimed = new List<BatchWork>();
        if (max <= 0)
        {
            return claimed;
        }

        var nowMs = UnixTime.Ms(now);
        var until = UnixTime.Ms(now + lease);
        await using var connection = await connections.OpenAsync(cancellationToken);

        // Read before any write transaction: an idle runner (no batch running) never takes SQLite's write lock.
        var batches = (await connection.QueryAsync<(string Id, string? KeyId)>(new CommandDefinition(
            "SELECT id, key_id FROM message_batches WHERE status = @inProgress AND ends_at > @nowMs ORDER BY created_at, id LIMIT @limit",
            new { inProgress = BatchStatus.InProgress, nowMs, limit = (long)ClaimBatches }, cancellationToken: cancellationToken))).ToList();
        if (batches.Count == 0)
        {
            return claimed;
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var skipLocked = Postgres ? " FOR UPDATE SKIP LOCKED" : "";
        foreach (var (batchId, keyId) in batches)
        {
            var rows = (await connection.QueryAsync<(long Idx, string CustomId, string Params, long Attempts)>(new CommandDefinition(
                $"""
                SELECT idx, custom_id, params, attempts FROM message_batch_requests
                WHERE batch_id = @batchId AND state = @pending AND claimed_until <= @nowMs
                ORDER BY idx LIMIT @limit{skipLocked}
                """,
                new { batchId, pending = BatchRequestState.Pending, nowMs, limit = (long)(max - claimed.Count) }, transaction,
                cancellationToken: cancellationToken))).ToList();
            foreach (var row in rows)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE message_batch_requests SET claimed_until = @until WHERE batch_id = @batchId AND idx = @idx",
                    new { until, batchId, idx = row.Idx }, transaction, cancellationToken: cancellationToken));
                claimed.Add(new BatchWork(batchId, keyId, (int)row.Idx, row.CustomId, row.Params, (int)row.Attempts));
            }

            if (claimed.Count >= max)
            {
                break;
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return claimed;
    }

    public async Task ResumeAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (Postgres)
        {
            return;
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE message_batch_requests SET claimed_until = @nowMs WHERE state = @pending AND claimed_until > @nowMs",
            new { nowMs = UnixTime.Ms(now), pending = BatchRequestState.Pending }, cancellationToken: cancellationToken));
    }

    public async Task RenewAsync(IReadOnlyList<BatchWork> running, DateTimeOffset until, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(running);
        if (running.Count == 0)
        {
            return;
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE message_batch_requests SET claimed_until = @until WHERE batch_id = @BatchId AND idx = @Index AND state = @pending",
            running.Select(w => new { until = UnixTime.Ms(until), w.BatchId, Index = (long)w.Index, pending = BatchRequestState.Pending }),
            transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task ReleaseAsync(BatchWork work, DateTimeOffset notBefore, int attempts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE message_batch_requests SET claimed_until = @notBefore, attempts = @attempts WHERE batch_id = @BatchId AND idx = @Index AND state = @pending",
            new { notBefore = UnixTime.Ms(notBefore), attempts = (long)attempts, work.BatchId, Index = (long)work.Index, pending = BatchRequestState.Pending },
            cancellationToken: cancellationToken));
    }

    public async Task<bool> CompleteAsync(BatchWork work, string state, string? json, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var connection = await connections.OpenAsync(cancellationToken);
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE message_batch_requests SET state = @state, result = @json, params = NULL, claimed_until = 0 WHERE batch_id = @BatchId AND idx = @Index AND state = @pending",
            new { state, json, work.BatchId, Index = (long)work.Index, pending = BatchRequestState.Pending }, cancellationToken: cancellationToken));
        return updated > 0;
    }

    public async Task<int> AdvanceAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var nowMs = UnixTime.Ms(now);
        await using var connection = await connections.OpenAsync(cancellationToken);
        var open = (await connection.QueryAsync<(string Id, string Status, long EndsAt)>(new CommandDefinition(
            "SELECT id, status, ends_at FROM message_batches WHERE status <> @ended ORDER BY created_at",
            new { ended = BatchStatus.Ended }, cancellationToken: cancellationToken))).ToList();
        var ended = 0;
        foreach (var (id, status, endsAt) in open)
        {
            var outcome = status == BatchStatus.Canceling ? BatchRequestState.Canceled : endsAt <= nowMs ? BatchRequestState.Expired : null;
            if (outcome is not null)
            {
                // Requests running now (claimed, lease current) finish; the others end here.
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE message_batch_requests SET state = @outcome, params = NULL WHERE batch_id = @id AND state = @pending AND claimed_until <= @nowMs",
                    new { outcome, id, pending = BatchRequestState.Pending, nowMs }, cancellationToken: cancellationToken));
            }

            var pending = await connection.QueryFirstOrDefaultAsync<long?>(new CommandDefinition(
                "SELECT idx FROM message_batch_requests WHERE batch_id = @id AND state = @pending LIMIT 1",
                new { id, pending = BatchRequestState.Pending }, cancellationToken: cancellationToken));
            if (pending is not null)
            {
                continue;
            }

            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var counts = (await connection.QueryAsync<(string State, long Count)>(new CommandDefinition(
                "SELECT state, COUNT(*) FROM message_batch_requests WHERE batch_id = @id GROUP BY state",
                new { id }, transaction, cancellationToken: cancellationToken))).ToDictionary(c => c.State, c => c.Count);
            if (!counts.ContainsKey(BatchRequestState.Pending))
            {
                ended += await connection.ExecuteAsync(new CommandDefinition("""
                    UPDATE message_batches SET status = @endedStatus, ended_at = @nowMs, succeeded = @succeeded, errored = @errored,
                        canceled = @canceled, expired = @expired
                    WHERE id = @id AND status <> @endedStatus
                    """, new
                {
                    endedStatus = BatchStatus.Ended,
                    nowMs,
                    id,
                    succeeded = counts.GetValueOrDefault(BatchRequestState.Succeeded),
                    errored = counts.GetValueOrDefault(BatchRequestState.Errored),
                    canceled = counts.GetValueOrDefault(BatchRequestState.Canceled),
                    expired = counts.GetValueOrDefault(BatchRequestState.Expired),
                }, transaction, cancellationToken: cancellationToken));
            }

            await transaction.CommitAsync(cancellationToken);
        }

        return ended;
    }

    public async IAsyncEnumerable<BatchResult> ResultsAsync(string id, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);

        // Read in pages by position, so a large batch's results are never all in memory at once.
        long from = -1;
        const long Page = 1000;
        while (true)
        {
            var rows = (await connection.QueryAsync<(long Idx, string CustomId, string State, string? Result)>(new CommandDefinition(
                "SELECT idx, custom_id, state, result FROM message_batch_requests WHERE batch_id = @id AND idx > @from ORDER BY idx LIMIT @page",
                new { id, from, page = Page }, cancellationToken: cancellationToken))).ToList();
            foreach (var row in rows)
            {
                yield return new BatchResult(row.CustomId, row.State, row.Result);
            }

            if (rows.Count < Page)
            {
                yield break;
            }

            from = rows[^1].Idx;
        }
    }

    public async Task<int> DeleteEndedBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var ids = (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT id FROM message_batches WHERE status = @ended AND ended_at < @cutoff",
            new { ended = BatchStatus.Ended, cutoff = UnixTime.Ms(cutoff) }, cancellationToken: cancellationToken))).ToList();
        var deleted = 0;
        foreach (var id in ids)
        {
            // One batch per transaction: a large batch's rows never hold the write lock for long alongside others.
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM message_batch_requests WHERE batch_id = @id", new { id }, transaction, cancellationToken: cancellationToken));
            deleted += await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM message_batches WHERE id = @id", new { id }, transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
        }

        return deleted;
    }

    private static async Task<BatchRecord?> FindAsync(DbConnection connection, DbTransaction? transaction, string id, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<BatchRow>(new CommandDefinition(
            $"SELECT {BatchColumns} FROM message_batches WHERE id = @id", new { id }, transaction, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    private static async Task InsertAsync(DbConnection connection, DbTransaction transaction, string batchId, List<BatchRequestInput> rows, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder(
            "INSERT INTO message_batch_requests (batch_id, idx, custom_id, params, state, attempts, claimed_until, result) VALUES ");
        var parameters = new DynamicParameters();
        parameters.Add("b", batchId);
        parameters.Add("pending", BatchRequestState.Pending);
        for (var i = 0; i < rows.Count; i++)
        {
            sql.Append(i == 0 ? "" : ", ").Append($"(@b, @i{i}, @c{i}, @p{i}, @pending, 0, 0, NULL)");
            parameters.Add($"i{i}", (long)rows[i].Index);
            parameters.Add($"c{i}", rows[i].CustomId);
            parameters.Add($"p{i}", rows[i].ParamsJson);
        }

        await connection.ExecuteAsync(new CommandDefinition(sql.ToString(), parameters, transaction, cancellationToken: cancellationToken));
    }

    private sealed class BatchRow
    {
        public string Id { get; set; } = "";

        public string? KeyId { get; set; }

        public string Status { get; set; } = "";

        public long RequestCount { get; set; }

        public long Succeeded { get; set; }

        public long Errored { get; set; }

        public long Canceled { get; set; }

        public long Expired { get; set; }

        public long CreatedAt { get; set; }

        public long EndsAt { get; set; }

        public long? EndedAt { get; set; }

        public long? CancelInitiatedAt { get; set; }

        public BatchRecord ToRecord() => new()
        {
            Id = Id,
            KeyId = KeyId,
            Status = Status,
            RequestCount = (int)RequestCount,
            Succeeded = (int)Succeeded,
            Errored = (int)Errored,
            Canceled = (int)Canceled,
            Expired = (int)Expired,
            CreatedAt = UnixTime.From(CreatedAt),
            EndsAt = UnixTime.From(EndsAt),
            EndedAt = UnixTime.From(EndedAt),
            CancelInitiatedAt = UnixTime.From(CancelInitiatedAt),
        };
    }
}
