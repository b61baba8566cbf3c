using System.Data;
using System.Data.Common;
using Switchboard.Tenancy;

namespace Switchboard.Storage;

/// <summary>
/// SQLite: one prepared insert executed per row inside the batch's transaction (no network round trips, so this is
/// as fast as a multi-row statement), skipping request ids already stored; then one prepared upsert per daily group.
/// </summary>
internal sealed class SqliteLedgerAppender : ILedgerAppender
{
    private static readonly string[] RowParameters =
    [
        "@request_id", "@occurred_at", "@key_id", "@front_door", "@model", "@upstream", "@upstream_model", "@status", "@error_kind",
        "@input_tokens", "@cache_read_tokens", "@cache_write_tokens", "@output_tokens", "@reasoning_tokens", "@cost_micros",
        "@time_to_first_token_ms", "@duration_ms", "@overhead_us", "@attempts",
    ];

    private static readonly string[] RollupParameters =
        ["@day", "@key_id", "@model", "@requests", "@input_tokens", "@cache_read_tokens", "@cache_write_tokens", "@output_tokens", "@reasoning_tokens", "@cost_micros"];

    public async Task AppendAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<UsageRow> rows, CancellationToken cancellationToken)
    {
        var totals = new DailyTotals();
        await using (var insert = Prepare(connection, transaction,
            $"INSERT INTO usage_rows ({LedgerSql.RowColumns}) VALUES ({string.Join(", ", RowParameters)}) ON CONFLICT (request_id) DO NOTHING",
            RowParameters))
        {
            var p = insert.Parameters;
            foreach (var row in rows)
            {
                p[0].Value = row.RequestId;
                p[1].Value = UnixTime.Ms(row.Time);
                p[2].Value = (object?)row.KeyId ?? DBNull.Value;
                p[3].Value = row.FrontDoor;
                p[4].Value = (object?)row.Model ?? DBNull.Value;
                p[5].Value = (object?)row.Upstream ?? DBNull.Value;
                p[6].Value = (object?)row.UpstreamModel ?? DBNull.Value;
                p[7].Value = (long)row.Status;
                p[8].Value = (object?)row.ErrorKind ?? DBNull.Value;
                p[9].Value = row.InputTokens;
                p[10].Value = row.CacheReadTokens;
                p[11].Value = row.CacheWriteTokens;
                p[12].Value = row.OutputTokens;
                p[13].Value = row.ReasoningTokens;
                p[14].Value = row.CostMicros;
                p[15].Value = (object?)row.TimeToFirstTokenMs ?? DBNull.Value;
                p[16].Value = row.DurationMs;
                p[17].Value = row.OverheadUs;
                p[18].Value = (object?)AttemptsJson.Write(row.Attempts) ?? DBNull.Value;
                if (await insert.ExecuteNonQueryAsync(cancellationToken) == 1)
                {
                    totals.Add(row);
                }
            }
        }

        if (totals.Count == 0)
        {
            return;
        }

        await using var upsert = Prepare(connection, transaction,
            $"INSERT INTO usage_daily ({LedgerSql.RollupColumns}) VALUES ({string.Join(", ", RollupParameters)}) {LedgerSql.RollupAdd}",
            RollupParameters);
        foreach (var (group, sum) in totals.Ordered())
        {
            var p = upsert.Parameters;
            p[0].Value = group.Day;
            p[1].Value = group.KeyId;
            p[2].Value = group.Model;
            p[3].Value = sum.Requests;
            p[4].Value = sum.InputTokens;
            p[5].Value = sum.CacheReadTokens;
            p[6].Value = sum.CacheWriteTokens;
            p[7].Value = sum.OutputTokens;
            p[8].Value = sum.ReasoningTokens;
            p[9].Value = sum.CostMicros;
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static DbCommand Prepare(DbConnection connection, DbTransaction transaction, string sql, string[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            command.Parameters.Add(parameter);
        }

        command.Prepare();
        return command;
    }
}
