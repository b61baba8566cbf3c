using System.Globalization;
using System.Text.Json;
using Switchboard.Tenancy.Keys;

namespace Switchboard.Tenancy.Admin;

/// <summary>
/// Reads a <c>POST</c> or <c>PATCH /admin/v1/keys</c> body into <see cref="KeyChanges"/>: a field left out is left
/// alone, <c>null</c> clears it. Unknown fields are refused rather than dropped, so a misspelt limit is not silently
/// missing. Problems name the field.
/// </summary>
public static class KeyChangesJson
{
    public static readonly string[] Fields =
        ["name", "models", "rpm", "input_tpm", "output_tpm", "concurrency", "budget_usd", "budget_period", "expires_at", "disabled", "labels"];

    public static KeyChanges Read(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new KeyProblemException(null, "the body must be a JSON object");
        }

        var changes = new KeyChanges();
        foreach (var property in body.EnumerateObject())
        {
            var value = property.Value;
            changes = property.Name switch
            {
                "name" => changes with { Name = String(value, "name") },
                "models" => changes with { Models = new(true, Models(value)) },
                "rpm" => changes with { RequestsPerMinute = new(true, (int?)Whole(value, "rpm", int.MaxValue)) },
                "input_tpm" => changes with { InputTokensPerMinute = new(true, Whole(value, "input_tpm", long.MaxValue)) },
                "output_tpm" => changes with { OutputTokensPerMinute = new(true, Whole(value, "output_tpm", long.MaxValue)) },
                "concurrency" => changes with { Concurrency = new(true, (int?)Whole(value, "concurrency", int.MaxValue)) },
                "budget_usd" => changes with { BudgetUsd = new(true, Money(value)) },
                "budget_period" => changes with { BudgetPeriod = new(true, value.ValueKind == JsonValueKind.Null ? null : Period(String(value, "budget_period"), "budget_period")) },
                "expires_at" => changes with { ExpiresAt = new(true, value.ValueKind == JsonValueKind.Null ? null : Expiry(String(value, "expires_at"), "expires_at")) },
                "disabled" => changes with { Disabled = value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : throw new KeyProblemException("disabled", "must be true or false") },
                "labels" => changes with { Labels = new(true, Labels(value)) },
                _ => throw new KeyProblemException(UsageRange.Clip(property.Name), $"unknown field; known fields: {string.Join(", ", Fields)}"),
            };
        }

        return changes;
    }

    /// <summary>A budget period by name: monthly, daily or total.</summary>
    public static BudgetPeriod Period(string? text, string field) => text?.Trim().ToLowerInvariant() switch
    {
        "monthly" or "month" => BudgetPeriod.Monthly,
        "daily" or "day" => BudgetPeriod.Daily,
        "total" => BudgetPeriod.Total,
        _ => throw new KeyProblemException(field, $"'{UsageRange.Clip(text)}' is not a budget period; use monthly, daily or total"),
    };

    /// <summary>An expiry: a UTC day (<c>YYYY-MM-DD</c>, the key stops working when that day begins) or an RFC 3339 time.</summary>
    public static DateTimeOffset Expiry(string? text, string field)
    {
        var value = text?.Trim() ?? "";
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }

        if (value.Contains('T', StringComparison.OrdinalIgnoreCase)
            && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time;
        }

        throw new KeyProblemException(field, $"'{UsageRange.Clip(text)}' is not a date; use YYYY-MM-DD (UTC) or an RFC 3339 time such as 2027-06-30T12:00:00Z");
    }

    private static string? String(JsonElement value, string field) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Null => null,
        _ => throw new KeyProblemException(field, "must be a string"),
    };

    private static List<string>? Models(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
        {
            throw new KeyProblemException("models", "must be an array of model names or globs, e.g. [\"qwen3*\", \"gpt-oss-120b\"]");
        }

        return value.EnumerateArray().Select(e => e.GetString()!).ToList();
    }

    private static long? Whole(JsonElement value, string field, long max)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number) || number > max)
        {
            throw new KeyProblemException(field, "must be a positive whole number, or null for no limit");
        }

        return number;
    }

    private static decimal? Money(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var amount))
        {
            throw new KeyProblemException("budget_usd", "must be an amount of US dollars, e.g. 25 or 12.5, or null for no budget");
        }

        return amount;
    }

    private static Dictionary<string, string>? Labels(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object || value.EnumerateObject().Any(p => p.Value.ValueKind != JsonValueKind.String))
        {
            throw new KeyProblemException("labels", "must be an object of string values, e.g. {\"team\": \"search\"}");
        }

        return value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
    }
}
