using System.Globalization;
using System.Text.Json;
using Switchboard.Tenancy.Keys;

namespace Switchboard.Tenancy.Admin;

/// <summary>
/// The JSON shapes of keys, usage totals and ledger rows (snake_case), shared by the admin API, <c>GET /v1/usage</c>
/// and the command line's <c>--json</c>, so every surface reads the same. Money is written in US dollars.
/// </summary>
public static class AdminJson
{
    public static readonly JsonWriterOptions Options = new() { Indented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A key as stored (never its secret or digest), with its state at <paramref name="now"/>; the key itself only at creation.</summary>
    public static void WriteKey(Utf8JsonWriter writer, ApiKeyRecord key, DateTimeOffset now, string? secretKey = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(key);
        writer.WriteStartObject();
        writer.WriteString("id", key.Id);
        if (secretKey is not null)
        {
            writer.WriteString("key", secretKey);
        }

        writer.WriteString("name", key.Name);
        writer.WriteString("status", KeyManager.Status(key, now));
        writer.WriteStartArray("models");
        foreach (var model in key.Models)
        {
            writer.WriteStringValue(model);
        }

        writer.WriteEndArray();
        WriteNumber(writer, "rpm", key.Limits.RequestsPerMinute);
        WriteNumber(writer, "input_tpm", key.Limits.InputTokensPerMinute);
        WriteNumber(writer, "output_tpm", key.Limits.OutputTokensPerMinute);
        WriteNumber(writer, "concurrency", key.Limits.Concurrency);
        if (key.Budget is { } budget)
        {
            writer.WriteNumber("budget_usd", Usd(budget.AmountMicros));
            writer.WriteString("budget_period", PeriodName(budget.Period));
        }
        else
        {
            writer.WriteNull("budget_usd");
            writer.WriteNull("budget_period");
        }

        WriteTime(writer, "expires_at", key.ExpiresAt);
        writer.WriteBoolean("disabled", key.Disabled);
        writer.WriteStartObject("labels");
        foreach (var (name, value) in key.Labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            writer.WriteString(name, value);
        }

        writer.WriteEndObject();
        WriteTime(writer, "created_at", key.CreatedAt);
        WriteTime(writer, "revoked_at", key.RevokedAt);
        writer.WriteEndObject();
    }

    /// <summary><c>{"group_by", "from", "to", "data": [totals…], "total": {…}}</c>; <paramref name="names"/> adds key names when grouped by key.</summary>
    public static void WriteUsage(Utf8JsonWriter writer, UsageQuery query, IReadOnlyList<UsageTotal> totals, IReadOnlyDictionary<string, string>? names = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(totals);
        writer.WriteStartObject();
        writer.WriteString("group_by", GroupName(query.GroupBy));
        if (query.KeyId is not null)
        {
            writer.WriteString("key_id", query.KeyId);
        }

        WriteDay(writer, "from", query.From);
        WriteDay(writer, "to", query.To?.AddDays(-1));
        writer.WriteStartArray("data");
        foreach (var total in totals)
        {
            writer.WriteStartObject();
            writer.WriteString(GroupField(query.GroupBy), total.Group);
            if (query.GroupBy == UsageGrouping.Key && names is not null)
            {
                writer.WriteString("name", names.GetValueOrDefault(total.Group));
            }

            WriteFigures(writer, total);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartObject("total");
        WriteFigures(writer, Sum(totals));
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary><c>{"data": [rows…]}</c>, newest first: one ledger row per request.</summary>
    public static void WriteRequests(Utf8JsonWriter writer, IReadOnlyList<UsageRow> rows)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(rows);
        writer.WriteStartObject();
        writer.WriteStartArray("data");
        foreach (var row in rows)
        {
            writer.WriteStartObject();
            WriteTime(writer, "time", row.Time);
            writer.WriteString("request_id", row.RequestId);
            writer.WriteString("key_id", row.KeyId);
            writer.WriteString("front_door", row.FrontDoor);
            writer.WriteString("model", row.Model);
            writer.WriteString("upstream", row.Upstream);
            writer.WriteString("upstream_model", row.UpstreamModel);
            writer.WriteNumber("status", row.Status);
            writer.WriteString("error_kind", row.ErrorKind);
            writer.WriteNumber("input_tokens", row.InputTokens);
            writer.WriteNumber("cache_read_tokens", row.CacheReadTokens);
            writer.WriteNumber("cache_write_tokens", row.CacheWriteTokens);
            writer.WriteNumber("output_tokens", row.OutputTokens);
            writer.WriteNumber("reasoning_tokens", row.ReasoningTokens);
            writer.WriteNumber("cost_usd", Usd(row.CostMicros));
            if (row.TimeToFirstTokenMs is { } ttft)
            {
                writer.WriteNumber("time_to_first_token_ms", Math.Round(ttft, 3));
            }
            else
            {
                writer.WriteNull("time_to_first_token_ms");
            }

            writer.WriteNumber("duration_ms", Math.Round(row.DurationMs, 3));
            writer.WriteNumber("overhead_us", row.OverheadUs);
            WriteAttempts(writer, row.Attempts);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary><c>"attempts": [{"upstream","outcome","status","duration_ms"}, …]</c>: each upstream tried, in order; empty when none was.</summary>
    private static void WriteAttempts(Utf8JsonWriter writer, IReadOnlyList<UsageAttempt>? attempts)
    {
        writer.WriteStartArray("attempts");
        foreach (var attempt in attempts ?? [])
        {
            writer.WriteStartObject();
            writer.WriteString("upstream", attempt.Upstream);
            writer.WriteString("outcome", attempt.Outcome);
            if (attempt.Status is { } status)
            {
                writer.WriteNumber("status", status);
            }
            else
            {
                writer.WriteNull("status");
            }

            writer.WriteNumber("duration_ms", Math.Round(attempt.DurationMs, 3));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    public static decimal Usd(long micros) => micros / 1_000_000m;

    public static string PeriodName(BudgetPeriod period) => period switch
    {
        BudgetPeriod.Daily => "daily",
        BudgetPeriod.Total => "total",
        _ => "monthly",
    };

    public static string GroupName(UsageGrouping grouping) => grouping switch
    {
        UsageGrouping.Key => "key",
        UsageGrouping.Day => "day",
        _ => "model",
    };

    /// <summary>The field naming a group: <c>key_id</c>, <c>model</c> or <c>day</c>.</summary>
    public static string GroupField(UsageGrouping grouping) => grouping == UsageGrouping.Key ? "key_id" : GroupName(grouping);

    public static UsageTotal Sum(IReadOnlyList<UsageTotal> totals)
    {
        ArgumentNullException.ThrowIfNull(totals);
        return new UsageTotal("total", totals.Sum(t => t.Requests), totals.Sum(t => t.InputTokens), totals.Sum(t => t.CacheReadTokens),
            totals.Sum(t => t.CacheWriteTokens), totals.Sum(t => t.OutputTokens), totals.Sum(t => t.ReasoningTokens), totals.Sum(t => t.CostMicros));
    }

    private static void WriteFigures(Utf8JsonWriter writer, UsageTotal total)
    {
        writer.WriteNumber("requests", total.Requests);
        writer.WriteNumber("input_tokens", total.InputTokens);
        writer.WriteNumber("cache_read_tokens", total.CacheReadTokens);
        writer.WriteNumber("cache_write_tokens", total.CacheWriteTokens);
        writer.WriteNumber("output_tokens", total.OutputTokens);
        writer.WriteNumber("reasoning_tokens", total.ReasoningTokens);
        writer.WriteNumber("cost_usd", Usd(total.CostMicros));
    }

    private static void WriteNumber(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void WriteTime(Utf8JsonWriter writer, string name, DateTimeOffset? value)
    {
        if (value is { } time)
        {
            writer.WriteString(name, time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFF'Z'", CultureInfo.InvariantCulture));
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void WriteDay(Utf8JsonWriter writer, string name, DateTimeOffset? value)
    {
        if (value is { } day)
        {
            writer.WriteString(name, day.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
