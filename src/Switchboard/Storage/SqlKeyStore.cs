using System.Text.Json;
using Dapper;
using Switchboard.Tenancy;

namespace Switchboard.Storage;

/// <summary>Stored API keys in the <c>api_keys</c> table; models and labels as JSON text.</summary>
public sealed class SqlKeyStore(StoreConnections connections) : IKeyStore
{
    private const string Columns = """
        id AS Id, name AS Name, secret_hash AS SecretHash, models AS Models, requests_per_minute AS RequestsPerMinute,
        input_tokens_per_minute AS InputTokensPerMinute, output_tokens_per_minute AS OutputTokensPerMinute,
        concurrency AS Concurrency, budget_micros AS BudgetMicros, budget_period AS BudgetPeriod, expires_at AS ExpiresAt,
        disabled AS Disabled, labels AS Labels, created_at AS CreatedAt, revoked_at AS RevokedAt
        """;

    public async Task CreateAsync(ApiKeyRecord key, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO api_keys (id, name, secret_hash, models, requests_per_minute, input_tokens_per_minute,
                output_tokens_per_minute, concurrency, budget_micros, budget_period, expires_at, disabled, labels, created_at, revoked_at)
            VALUES (@Id, @Name, @SecretHash, @Models, @RequestsPerMinute, @InputTokensPerMinute,
                @OutputTokensPerMinute, @Concurrency, @BudgetMicros, @BudgetPeriod, @ExpiresAt, @Disabled, @Labels, @CreatedAt, @RevokedAt)
            """, KeyRow.From(key), cancellationToken: cancellationToken));
    }

    public async Task<ApiKeyRecord?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<KeyRow>(new CommandDefinition(
            $"SELECT {Columns} FROM api_keys WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<KeyRow>(new CommandDefinition(
            $"SELECT {Columns} FROM api_keys ORDER BY created_at, id", cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToRecord())];
    }

    public async Task<bool> UpdateAsync(ApiKeyRecord key, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE api_keys SET name = @Name, secret_hash = @SecretHash, models = @Models, requests_per_minute = @RequestsPerMinute,
                input_tokens_per_minute = @InputTokensPerMinute, output_tokens_per_minute = @OutputTokensPerMinute,
                concurrency = @Concurrency, budget_micros = @BudgetMicros, budget_period = @BudgetPeriod, expires_at = @ExpiresAt,
                disabled = @Disabled, labels = @Labels, created_at = @CreatedAt, revoked_at = @RevokedAt
            WHERE id = @Id
            """, KeyRow.From(key), cancellationToken: cancellationToken));
        return changed > 0;
    }

    public async Task<bool> AnyActiveAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var found = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT 1 FROM api_keys WHERE revoked_at IS NULL AND (expires_at IS NULL OR expires_at > @now) LIMIT 1",
            new { now = UnixTime.Ms(now) }, cancellationToken: cancellationToken));
        return found is not null;
    }

    /// <summary>The table's row as Dapper reads and writes it (every number BIGINT, so both drivers agree on types).</summary>
    private sealed class KeyRow
    {
        public string Id { get; set; } = "";

        public string Name { get; set; } = "";

        public string SecretHash { get; set; } = "";

        public string Models { get; set; } = "[]";

        public long? RequestsPerMinute { get; set; }

        public long? InputTokensPerMinute { get; set; }

        public long? OutputTokensPerMinute { get; set; }

        public long? Concurrency { get; set; }

        public long? BudgetMicros { get; set; }

        public string? BudgetPeriod { get; set; }

        public long? ExpiresAt { get; set; }

        public long Disabled { get; set; }

        public string Labels { get; set; } = "{}";

        public long CreatedAt { get; set; }

        public long? RevokedAt { get; set; }

        public static KeyRow From(ApiKeyRecord key) => new()
        {
            Id = key.Id,
            Name = key.Name,
            SecretHash = key.SecretHash,
            Models = JsonSerializer.Serialize(key.Models),
            RequestsPerMinute = key.Limits.RequestsPerMinute,
            InputTokensPerMinute = key.Limits.InputTokensPerMinute,
            OutputTokensPerMinute = key.Limits.OutputTokensPerMinute,
            Concurrency = key.Limits.Concurrency,
            BudgetMicros = key.Budget?.AmountMicros,
            BudgetPeriod = key.Budget?.Period.ToString().ToLowerInvariant(),
            ExpiresAt = UnixTime.Ms(key.ExpiresAt),
            Disabled = key.Disabled ? 1 : 0,
            Labels = JsonSerializer.Serialize(key.Labels),
            CreatedAt = UnixTime.Ms(key.CreatedAt),
            RevokedAt = UnixTime.Ms(key.RevokedAt),
        };

        public ApiKeyRecord ToRecord() => new()
        {
            Id = Id,
            Name = Name,
            SecretHash = SecretHash,
            Models = JsonSerializer.Deserialize<string[]>(Models) ?? [],
            Limits = new KeyLimits((int?)RequestsPerMinute, InputTokensPerMinute, OutputTokensPerMinute, (int?)Concurrency),
            Budget = BudgetMicros is { } amount && BudgetPeriod is { } period
                ? new KeyBudget(amount, Enum.Parse<Tenancy.BudgetPeriod>(period, ignoreCase: true))
                : null,
            ExpiresAt = UnixTime.From(ExpiresAt),
            Disabled = Disabled != 0,
            Labels = JsonSerializer.Deserialize<Dictionary<string, string>>(Labels) ?? [],
            CreatedAt = UnixTime.From(CreatedAt),
            RevokedAt = UnixTime.From(RevokedAt),
        };
    }
}
