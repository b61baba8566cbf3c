namespace Switchboard.Storage;

/// <summary>The store's schema, one migration after another. Append only.</summary>
public static class Migrations
{
    public static readonly IReadOnlyList<Migration> All =
    [
        new(1, "keys, settings, usage ledger and its daily totals", """
            CREATE TABLE api_keys (
                id TEXT NOT NULL PRIMARY KEY,
                name TEXT NOT NULL,
                secret_hash TEXT NOT NULL,
                models TEXT NOT NULL,
                requests_per_minute BIGINT NULL,
                input_tokens_per_minute BIGINT NULL,
                output_tokens_per_minute BIGINT NULL,
                concurrency BIGINT NULL,
                budget_micros BIGINT NULL,
                budget_period TEXT NULL,
                expires_at BIGINT NULL,
                disabled BIGINT NOT NULL,
                labels TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                revoked_at BIGINT NULL
            );

            CREATE TABLE settings (
                name TEXT NOT NULL PRIMARY KEY,
                value TEXT NOT NULL,
                created_at BIGINT NOT NULL
            );

            CREATE TABLE usage_rows (
                request_id TEXT NOT NULL PRIMARY KEY,
                occurred_at BIGINT NOT NULL,
                key_id TEXT NULL,
                front_door TEXT NOT NULL,
                model TEXT NULL,
                upstream TEXT NULL,
                upstream_model TEXT NULL,
                status BIGINT NOT NULL,
                error_kind TEXT NULL,
                input_tokens BIGINT NOT NULL,
                cache_read_tokens BIGINT NOT NULL,
                cache_write_tokens BIGINT NOT NULL,
                output_tokens BIGINT NOT NULL,
                reasoning_tokens BIGINT NOT NULL,
                cost_micros BIGINT NOT NULL,
                time_to_first_token_ms DOUBLE PRECISION NULL,
                duration_ms DOUBLE PRECISION NOT NULL,
                overhead_us BIGINT NOT NULL
            );

            CREATE INDEX usage_rows_key_time ON usage_rows (key_id, occurred_at);
            CREATE INDEX usage_rows_time ON usage_rows (occurred_at);

            CREATE TABLE usage_daily (
                day BIGINT NOT NULL,
                key_id TEXT NOT NULL,
                model TEXT NOT NULL,
                requests BIGINT NOT NULL,
                input_tokens BIGINT NOT NULL,
                cache_read_tokens BIGINT NOT NULL,
                cache_write_tokens BIGINT NOT NULL,
                output_tokens BIGINT NOT NULL,
                reasoning_tokens BIGINT NOT NULL,
                cost_micros BIGINT NOT NULL,
                PRIMARY KEY (day, key_id, model)
            );

            CREATE INDEX usage_daily_key_day ON usage_daily (key_id, day);
            """),
        new(2, "stored responses of the Responses API and the index of their items", """
            CREATE TABLE responses (
                id TEXT NOT NULL PRIMARY KEY,
                key_id TEXT NULL,
                created_at BIGINT NOT NULL,
                response_json TEXT NOT NULL,
                input_items_json TEXT NOT NULL
            );

            CREATE INDEX responses_created ON responses (created_at);

            CREATE TABLE response_items (
                item_id TEXT NOT NULL,
                response_id TEXT NOT NULL,
                PRIMARY KEY (item_id, response_id)
            );

            CREATE INDEX response_items_response ON response_items (response_id);
            """),
        new(3, "message batches and their requests", """
            CREATE TABLE message_batches (
                id TEXT NOT NULL PRIMARY KEY,
                key_id TEXT NULL,
                status TEXT NOT NULL,
                request_count BIGINT NOT NULL,
                succeeded BIGINT NOT NULL,
                errored BIGINT NOT NULL,
                canceled BIGINT NOT NULL,
                expired BIGINT NOT NULL,
                created_at BIGINT NOT NULL,
                ends_at BIGINT NOT NULL,
                ended_at BIGINT NULL,
                cancel_initiated_at BIGINT NULL
            );

            CREATE INDEX message_batches_key_created ON message_batches (key_id, created_at);
            CREATE INDEX message_batches_status ON message_batches (status, created_at);

            CREATE TABLE message_batch_requests (
                batch_id TEXT NOT NULL,
                idx BIGINT NOT NULL,
                custom_id TEXT NOT NULL,
                params TEXT NULL,
                state TEXT NOT NULL,
                attempts BIGINT NOT NULL,
                claimed_until BIGINT NOT NULL,
                result TEXT NULL,
                PRIMARY KEY (batch_id, idx)
            );

            CREATE INDEX message_batch_requests_state ON message_batch_requests (batch_id, state, idx);
            """),
        new(4, "the upstream attempts of each ledger row", """
            ALTER TABLE usage_rows ADD COLUMN attempts TEXT NULL;
            """),
    ];
}
