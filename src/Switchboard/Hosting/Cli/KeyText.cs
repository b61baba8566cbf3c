using System.Globalization;
using Switchboard.Tenancy;
using Switchboard.Tenancy.Admin;
using Switchboard.Tenancy.Keys;

namespace Switchboard.Hosting.Cli;

/// <summary>How keys read on a terminal: one key as aligned lines, many as a table.</summary>
internal static class KeyText
{
    public static void WriteKey(TextWriter output, ApiKeyRecord key, DateTimeOffset now)
    {
        var lines = new (string, string)[]
        {
            ("id", key.Id),
            ("name", key.Name),
            ("status", KeyManager.Status(key, now)),
            ("models", Models(key)),
            ("rpm", Limit(key.Limits.RequestsPerMinute)),
            ("input tpm", Limit(key.Limits.InputTokensPerMinute)),
            ("output tpm", Limit(key.Limits.OutputTokensPerMinute)),
            ("concurrency", Limit(key.Limits.Concurrency)),
            ("budget", Budget(key)),
            ("expires", key.ExpiresAt is { } expires ? Time(expires) : "never"),
            ("labels", key.Labels.Count == 0 ? "none" : string.Join(", ", key.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"))),
            ("created", Time(key.CreatedAt)),
            ("revoked", key.RevokedAt is { } revoked ? Time(revoked) : "no"),
        };
        foreach (var (name, value) in lines)
        {
            output.WriteLine($"{name,-12}  {value}");
        }
    }

    public static void WriteList(TextWriter output, IReadOnlyList<ApiKeyRecord> keys, DateTimeOffset now)
    {
        if (keys.Count == 0)
        {
            output.WriteLine("No keys yet. Create one with: switchboard keys create --name NAME");
            return;
        }

        var table = new CliTable("ID", "NAME", "STATUS", "MODELS", "RPM", "INPUT TPM", "OUTPUT TPM", "CONCURRENCY", "BUDGET", "EXPIRES", "CREATED")
            .RightAlign(4, 5, 6, 7);
        foreach (var key in keys)
        {
            table.Add(key.Id, key.Name, KeyManager.Status(key, now), Models(key), Limit(key.Limits.RequestsPerMinute),
                Limit(key.Limits.InputTokensPerMinute), Limit(key.Limits.OutputTokensPerMinute), Limit(key.Limits.Concurrency), Budget(key),
                key.ExpiresAt is { } expires ? Day(expires) : "never", Day(key.CreatedAt));
        }

        table.Write(output);
    }

    public static string Usd(long micros) => "$" + AdminJson.Usd(micros).ToString("#,0.00####", CultureInfo.InvariantCulture);

    private static string Models(ApiKeyRecord key) => key.Models.Count == 0 ? "*" : string.Join(",", key.Models);

    private static string Limit(long? value) => value is { } number ? number.ToString(CultureInfo.InvariantCulture) : "none";

    private static string Budget(ApiKeyRecord key) => key.Budget is { } budget ? $"{Usd(budget.AmountMicros)} {AdminJson.PeriodName(budget.Period)}" : "none";

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static string Day(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
