namespace Switchboard.Storage;

/// <summary>SQL text of the usage ledger that both dialects share.</summary>
internal static class LedgerSql
{
    public const string RowColumns = """
        request_id, occurred_at, key_id, front_door, model, upstream, upstream_model, status, error_kind, input_tokens,
        cache_read_tokens, cache_write_tokens, output_tokens, reasoning_tokens, cost_micros, time_to_first_token_ms, duration_ms, overhead_us, attempts
        """;

    public const string SelectRow = """
        SELECT request_id AS RequestId, occurred_at AS OccurredAt, key_id AS KeyId, front_door AS FrontDoor, model AS Model,
            upstream AS Upstream, upstream_model AS UpstreamModel, status AS Status, error_kind AS ErrorKind,
            input_tokens AS InputTokens, cache_read_tokens AS CacheReadTokens, cache_write_tokens AS CacheWriteTokens,
            output_tokens AS OutputTokens, reasoning_tokens AS ReasoningTokens, cost_micros AS CostMicros,
            time_to_first_token_ms AS TimeToFirstTokenMs, duration_ms AS DurationMs, overhead_us AS OverheadUs,
            attempts AS Attempts
        FROM usage_rows
        """;

    public const string RollupColumns = "day, key_id, model, requests, input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, reasoning_tokens, cost_micros";

    public const string RollupAdd = """
        ON CONFLICT (day, key_id, model) DO UPDATE SET
            requests = usage_daily.requests + excluded.requests,
            input_tokens = usage_daily.input_tokens + excluded.input_tokens,
            cache_read_tokens = usage_daily.cache_read_tokens + excluded.cache_read_tokens,
            cache_write_tokens = usage_daily.cache_write_tokens + excluded.cache_write_tokens,
            output_tokens = usage_daily.output_tokens + excluded.output_tokens,
            reasoning_tokens = usage_daily.reasoning_tokens + excluded.reasoning_tokens,
            cost_micros = usage_daily.cost_micros + excluded.cost_micros
        """;
}
