using System.Data.Common;
using Npgsql;
using NpgsqlTypes;
using Switchboard.Tenancy;

namespace Switchboard.Storage;

/// <summary>
/// PostgreSQL: the whole batch in one statement (each column sent as one array and unnested), skipping request ids
/// already stored and returning what was inserted; the daily totals of those rows then in one more statement. Two
/// round trips per batch whatever its size.
/// </summary>
internal sealed class PostgresLedgerAppender : ILedgerAppender
{
    private const string InsertRows = $"""
        INSERT INTO usage_rows ({LedgerSql.RowColumns})
        SELECT * FROM unnest(@request_id, @occurred_at, @key_id, @front_door, @model, @upstream, @upstream_model, @status, @error_kind,
            @input_tokens, @cache_read_tokens, @cache_write_tokens, @output_tokens, @reasoning_tokens, @cost_micros,
            @time_to_first_token_ms, @duration_ms, @overhead_us, @attempts)
        ON CONFLICT (request_id) DO NOTHING
        RETURNING occurred_at, key_id, model, input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, reasoning_tokens, cost_micros
        """;

    private const string AddTotals = $"""
        INSERT INTO usage_daily ({LedgerSql.RollupColumns})
        SELECT * FROM unnest(@day, @key_id, @model, @requests, @input_tokens, @cache_read_tokens, @cache_write_tokens,
            @output_tokens, @reasoning_tokens, @cost_micros)
        {LedgerSql.RollupAdd}
        """;

    public async Task AppendAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<UsageRow> rows, CancellationToken cancellationToken)
    {
        // In request id order, so two writers whose batches share ids lock them in the same order (no deadlock).
        rows = [.. rows.OrderBy(r => r.RequestId, StringComparer.Ordinal)];
        var totals = new DailyTotals();
        await using (var insert = new NpgsqlCommand(InsertRows, (NpgsqlConnection)connection, (NpgsqlTransaction)transaction))
        {
            var p = insert.Parameters;
            Add(p, "request_id", NpgsqlDbType.Text, rows.Select(r => r.RequestId).ToArray());
            Add(p, "occurred_at", NpgsqlDbType.Bigint, rows.Select(r => UnixTime.Ms(r.Time)).ToArray());
            Add(p, "key_id", NpgsqlDbType.Text, rows.Select(r => r.KeyId).ToArray());
            Add(p, "front_door", NpgsqlDbType.Text, rows.Select(r => r.FrontDoor).ToArray());
            Add(p, "model", NpgsqlDbType.Text, rows.Select(r => r.Model).ToArray());
            Add(p, "upstream", NpgsqlDbType.Text, rows.Select(r => r.Upstream).ToArray());
            Add(p, "upstream_model", NpgsqlDbType.Text, rows.Select(r => r.UpstreamModel).ToArray());
            Add(p, "status", NpgsqlDbType.Bigint, rows.Select(r => (long)r.Status).ToArray());
            Add(p, "error_kind", NpgsqlDbType.Text, rows.Select(r => r.ErrorKind).ToArray());
            Add(p, "input_tokens", NpgsqlDbType.Bigint, rows.Select(r => r.InputTokens).ToArray());
            Add(p, "cache_read_tokens", NpgsqlDbType.Bigint, rows.Select(r => r.CacheReadTokens).ToArray());
            Add(p, "cache_write_tokens", NpgsqlDbType.Bigint, rows.Select(r => r.CacheWriteTokens).ToArray());
            Add(p, "output_tokens", NpgsqlDbType.Bigint, rows.Select(r => r.OutputTokens).ToArray());
            Add(p, "reasoning_tokens", NpgsqlDbType.Bigint, rows.Select(r => r.ReasoningTokens).ToArray());
            Add(p, "cost_micros", NpgsqlDbType.Bigint, rows.Select(r => r.CostMicros).ToArray());
            Add(p, "time_to_first_token_ms", NpgsqlDbType.Double, rows.Select(r => r.TimeToFirstTokenMs).ToArray());
            Add(p, "duration_ms", NpgsqlDbType.Double, rows.Select(r => r.DurationMs).ToArray());
            Add(p, "overhead_us", NpgsqlDbType.Bigint, rows.Select(r => r.OverheadUs).ToArray());
            Add(p, "attempts", NpgsqlDbType.Text, rows.Select(r => AttemptsJson.Write(r.Attempts)).ToArray());

            await using var inserted = await insert.ExecuteReaderAsync(cancellationToken);
            while (await inserted.ReadAsync(cancellationToken))
            {
                totals.Add(inserted.GetInt64(0), inserted.IsDBNull(1) ? null : inserted.GetString(1), inserted.IsDBNull(2) ? null : inserted.GetString(2),
                    inserted.GetInt64(3), inserted.GetInt64(4), inserted.GetInt64(5), inserted.GetInt64(6), inserted.GetInt64(7), inserted.GetInt64(8));
            }
        }

        if (totals.Count == 0)
        {
            return;
        }

        var groups = totals.Ordered().ToList();
        await using var upsert = new NpgsqlCommand(AddTotals, (NpgsqlConnection)connection, (NpgsqlTransaction)transaction);
        var q = upsert.Parameters;
        Add(q, "day", NpgsqlDbType.Bigint, groups.Select(g => g.Group.Day).ToArray());
        Add(q, "key_id", NpgsqlDbType.Text, groups.Select(g => g.Group.KeyId).ToArray());
        Add(q, "model", NpgsqlDbType.Text, groups.Select(g => g.Group.Model).ToArray());
        Add(q, "requests", NpgsqlDbType.Bigint, groups.Select(g => g.Totals.Requests).ToArray());
        Add(q, "input_tokens", NpgsqlDbType.Bigint, groups.Select(g => g.Totals.InputTokens).ToArray());
        Add(q, "cache_read_tokens", NpgsqlDbType.Bigint, groups.Select(g => g.Totals.CacheReadTokens).ToArray());
        Add(q, "cache_write_tokens", NpgsqlDbType.Bigint, groups.Select(g => g.Totals.CacheWriteTokens).ToArray());
        Add(q, "output_tokens", NpgsqlDbType.Bigint, groups.Select(g => g.Totals.OutputTokens).ToArray());
        Add(q, "reasoning_tokens", NpgsqlDbType.Bigint, groups.Select(g => g.Totals.ReasoningTokens).ToArray());
        Add(q, "cost_micros", NpgsqlDbType.Bigint, groups.Select(g => g.Totals.CostMicros).ToArray());
        await upsert.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void Add(NpgsqlParameterCollection parameters, string name, NpgsqlDbType type, object values) =>
        parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Array | type) { Value = values });
}
