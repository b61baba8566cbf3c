namespace Switchboard.Configuration;

/// <summary>
/// Where keys, the usage ledger and shared settings live: an embedded SQLite database in a data directory by
/// default, PostgreSQL when several Switchboard processes share them, and Redis for rate-limit counters shared by
/// several processes. See docs/TENANCY.md.
/// </summary>
public sealed class StorageOptions
{
    /// <summary>
    /// The data directory holding the SQLite database (<c>switchboard.db</c>). Unset: the user's local data folder
    /// (<c>~/.local/share/switchboard</c> on Linux). Created on first start. Not used when <see cref="PostgreSql"/> is set.
    /// </summary>
    public string? DataDirectory { get; set; }

    /// <summary>A PostgreSQL connection string; when set, the store is PostgreSQL instead of SQLite.</summary>
    public string? PostgreSql { get; set; }

    /// <summary>A Redis connection string (StackExchange.Redis format) for rate-limit counters shared by several processes.</summary>
    public string? Redis { get; set; }

    /// <summary>
    /// When the shared counter store cannot be reached: false (the default) admits under per-process limits and
    /// logs a warning; true refuses limited keys until it is back.
    /// </summary>
    public bool FailClosed { get; set; }

    /// <summary>Days of per-request ledger rows kept; daily totals are kept for ever. 0 keeps every row.</summary>
    public int LedgerRetentionDays { get; set; } = 400;

    /// <summary>
    /// Days a stored response of the Responses API (<c>store: true</c>, the default) is kept for
    /// <c>GET /v1/responses/{id}</c>, <c>previous_response_id</c> and <c>item_reference</c>; OpenAI keeps them 30 days.
    /// 0 keeps every one.
    /// </summary>
    public int ResponseRetentionDays { get; set; } = 30;

    /// <summary>Ledger rows waiting to be written before new ones are dropped (and counted) instead of slowing requests.</summary>
    public int LedgerQueueCapacity { get; set; } = 65_536;
}

/// <summary>The admin HTTP API under <c>/admin/v1/</c>.</summary>
public sealed class AdminOptions
{
    /// <summary>The bearer token the admin API requires. Unset: the admin API is not served.</summary>
    public string? Token { get; set; }
}

/// <summary>Stored API keys: how they are looked up and priced.</summary>
public sealed class TenancyOptions
{
    /// <summary>
    /// Seconds a looked-up key (or a miss) is cached in each process; a key revoked or changed through another
    /// process stops or changes there within this time.
    /// </summary>
    public double KeyCacheSeconds { get; set; } = 5;

    /// <summary>Prices for models without their own <see cref="ModelOptions.Prices"/>; unset, such models cost nothing.</summary>
    public ModelPrices? DefaultPrices { get; set; }
}

/// <summary>What a model's tokens cost, in US dollars per million tokens.</summary>
public sealed class ModelPrices
{
    public decimal InputPerMillion { get; set; }

    public decimal OutputPerMillion { get; set; }

    /// <summary>Input read from the upstream's prompt cache; unset, priced as input.</summary>
    public decimal? CacheReadPerMillion { get; set; }

    /// <summary>Input written to the upstream's prompt cache; unset, priced as input.</summary>
    public decimal? CacheWritePerMillion { get; set; }
}
