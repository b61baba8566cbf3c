using System.Data.Common;
using System.Globalization;
using Dapper;
using Switchboard.Tenancy;

namespace Switchboard.Storage;

/// <summary>
/// The usage ledger: one row per request in <c>usage_rows</c> (idempotent per request id) and daily totals per
/// (day, key, model) in <c>usage_daily</c>, added to in the same transaction as the rows, from the rows actually
/// inserted. Totals over whole UTC days come from the daily table (fast for years of data, and kept after old rows
/// are deleted); a range that cuts through a day is summed exactly from the rows still kept.
/// </summary>
public sealed class SqlUsageLedgerStore(StoreConnections connections) : IUsageLedgerStore
{
    /// <summary>Rows deleted per statement, so retention never holds the write lock for long.</summary>
    public const int DeleteBatch = 5_000;

    private readonly ILedgerAppender _appender = connections.Dialect == StoreDialect.PostgreSql ? new PostgresLedgerAppender() : new SqliteLedgerAppender();

    public async Task AppendAsync(IReadOnlyList<UsageRow> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await _appender.AppendAsync(connection, transaction, rows, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<UsageTotal>> SummarizeAsync(UsageQuery query, CancellationToken cancellationToken)
    {
        var from = UnixTime.Ms(query.From);
        var to = UnixTime.Ms(query.To);
        var wholeDays = (from is null || UnixTime.IsDayStart(from.Value)) && (to is null || UnixTime.IsDayStart(to.Value));
        var (table, time, group, requests) = (wholeDays, query.GroupBy) switch
        {
            (true, UsageGrouping.Key) => ("usage_daily", "day", "key_id", "SUM(requests)"),
            (true, UsageGrouping.Model) => ("usage_daily", "day", "model", "SUM(requests)"),
            (true, _) => ("usage_daily", "day", "day", "SUM(requests)"),
            (false, UsageGrouping.Key) => ("usage_rows", "occurred_at", "COALESCE(key_id, '')", "COUNT(*)"),
            (false, UsageGrouping.Model) => ("usage_rows", "occurred_at", "COALESCE(model, '')", "COUNT(*)"),
            (false, _) => ("usage_rows", "occurred_at", $"(occurred_at / {UnixTime.MsPerDay}) * {UnixTime.MsPerDay}", "COUNT(*)"),
        };

        var where = new List<string>();
        if (query.KeyId is not null)
        {
            where.Add("key_id = @key");
        }

        if (from is not null)
        {
            where.Add($"{time} >= @from");
        }

        if (to is not null)
        {
            where.Add($"{time} < @to");
        }

        var sql = $"""
            SELECT {group} AS GroupValue, CAST({requests} AS BIGINT) AS Requests, CAST(SUM(input_tokens) AS BIGINT) AS InputTokens,
                CAST(SUM(cache_read_tokens) AS BIGINT) AS CacheReadTokens, CAST(SUM(cache_write_tokens) AS BIGINT) AS CacheWriteTokens,
                CAST(SUM(output_tokens) AS BIGINT) AS OutputTokens, CAST(SUM(reasoning_tokens) AS BIGINT) AS ReasoningTokens,
                CAST(SUM(cost_micros) AS BIGINT) AS CostMicros
            FROM {table}
            {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "")}
            GROUP BY {group}
            ORDER BY {group}
            """;
        await using var connection = await connections.OpenAsync(cancellationToken);
        var totals = await connection.QueryAsync<TotalRow>(new CommandDefinition(
            sql, new { key = query.KeyId, from, to }, cancellationToken: cancellationToken));
        return [.. totals.Select(t => t.ToTotal(query.GroupBy))];
    }

    public Task<IReadOnlyList<UsageRow>> RecentAsync(string? keyId, int limit, CancellationToken cancellationToken) =>
        RecentMatchingAsync(new RequestFilter(KeyId: keyId), limit, cancellationToken);

    public async Task<IReadOnlyList<UsageRow>> RecentMatchingAsync(RequestFilter filter, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var where = new List<string>();
        if (filter.KeyId is not null)
        {
            where.Add("key_id = @keyId");
        }

        if (filter.Model is not null)
        {
            where.Add("model = @model");
        }

        if (filter.Status is not null)
        {
            where.Add("status = @status");
        }

        if (filter.FailuresOnly)
        {
            where.Add("((status >= 400 AND status <> 499) OR error_kind IS NOT NULL)");
        }

        var sql = LedgerSql.SelectRow + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "") + " ORDER BY occurred_at DESC, request_id DESC LIMIT @limit";
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<StoredRow>(new CommandDefinition(
            sql, new { keyId = filter.KeyId, model = filter.Model, status = filter.Status ?? 0, limit = (long)Math.Max(0, limit) }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToRow())];
    }

    public async Task<long> SpentMicrosAsync(string keyId, DateTimeOffset from, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT CAST(COALESCE(SUM(cost_micros), 0) AS BIGINT) FROM usage_daily WHERE key_id = @keyId AND day >= @from",
            new { keyId, from = UnixTime.DayOf(UnixTime.Ms(from)) }, cancellationToken: cancellationToken));
    }

    public async Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var total = 0;
        while (true)
        {
            var deleted = await connection.ExecuteAsync(new CommandDefinition("""
                DELETE FROM usage_rows WHERE request_id IN
                    (SELECT request_id FROM usage_rows WHERE occurred_at < @cutoff ORDER BY occurred_at LIMIT @batch)
                """, new { cutoff = UnixTime.Ms(cutoff), batch = (long)DeleteBatch }, cancellationToken: cancellationToken));
            total += deleted;
            if (deleted < DeleteBatch)
            {
                return total;
            }
        }
    }

    private sealed class TotalRow
    {
        public object GroupValue { get; set; } = "";

        public long Requests { get; set; }

        public long InputTokens { get; set; }

        public long CacheReadTokens { get; set; }

        public long CacheWriteTokens { get; set; }

        public long OutputTokens { get; set; }

        public long ReasoningTokens { get; set; }

        public long CostMicros { get; set; }

        public UsageTotal ToTotal(UsageGrouping grouping) => new(
            grouping == UsageGrouping.Day
                ? UnixTime.From(Convert.ToInt64(GroupValue, CultureInfo.InvariantCulture)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                : Convert.ToString(GroupValue, CultureInfo.InvariantCulture) ?? "",
            Requests, InputTokens, CacheReadTokens, CacheWriteTokens, OutputTokens, ReasoningTokens, CostMicros);
    }

    private sealed class StoredRow
    {
        public string RequestId { get; set; } = "";

        public long OccurredAt { get; set; }

        public string? KeyId { get; set; }

        public string FrontDoor { get; set; } = "";

        public string? Model { get; set; }

        public string? Upstream { get; set; }

        public string? UpstreamModel { get; set; }

        public long Status { get; set; }

        public string? ErrorKind { get; set; }

        public long InputTokens { get; set; }

        public long CacheReadTokens { get; set; }

        public long CacheWriteTokens { get; set; }

        public long OutputTokens { get; set; }

        public long ReasoningTokens { get; set; }

        public long CostMicros { get; set; }

        public double? TimeToFirstTokenMs { get; set; }

        public double DurationMs { get; set; }

        public long OverheadUs { get; set; }

        public string? Attempts { get; set; }

        public UsageRow ToRow() => new()
        {
            Time = UnixTime.From(OccurredAt),
            RequestId = RequestId,
            KeyId = KeyId,
            FrontDoor = FrontDoor,
            Model = Model,
            Upstream = Upstream,
            UpstreamModel = UpstreamModel,
            Status = (int)Status,
            ErrorKind = ErrorKind,
            InputTokens = InputTokens,
            CacheReadTokens = CacheReadTokens,
            CacheWriteTokens = CacheWriteTokens,
            OutputTokens = OutputTokens,
            ReasoningTokens = ReasoningTokens,
            CostMicros = CostMicros,
            TimeToFirstTokenMs = TimeToFirstTokenMs,
            DurationMs = DurationMs,
            OverheadUs = OverheadUs,
            Attempts = AttemptsJson.Read(Attempts),
        };
    }
}
