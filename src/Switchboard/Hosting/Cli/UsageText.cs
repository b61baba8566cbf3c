using System.Globalization;
using Switchboard.Tenancy;
using Switchboard.Tenancy.Admin;

namespace Switchboard.Hosting.Cli;

/// <summary>Usage totals as a table: one row per key, model or day, then the total.</summary>
internal static class UsageText
{
    public static void Write(TextWriter output, UsageQuery query, IReadOnlyList<UsageTotal> totals, IReadOnlyDictionary<string, string>? names)
    {
        var byKey = query.GroupBy == UsageGrouping.Key;
        string[] figures = ["REQUESTS", "INPUT", "CACHE READ", "CACHE WRITE", "OUTPUT", "COST (USD)"];
        string[] headers = byKey ? ["KEY", "NAME", .. figures] : [AdminJson.GroupName(query.GroupBy).ToUpperInvariant(), .. figures];
        var first = byKey ? 2 : 1;
        var table = new CliTable(headers).RightAlign(Enumerable.Range(first, figures.Length).ToArray());
        foreach (var total in totals)
        {
            string[] group = byKey ? [total.Group, names?.GetValueOrDefault(total.Group) ?? ""] : [total.Group];
            table.Add([.. group, .. Figures(total)]);
        }

        var sum = AdminJson.Sum(totals);
        table.Add([.. byKey ? new[] { "total", "" } : ["total"], .. Figures(sum)]);
        table.Write(output);
    }

    private static string[] Figures(UsageTotal total) =>
    [
        Count(total.Requests), Count(total.InputTokens), Count(total.CacheReadTokens), Count(total.CacheWriteTokens), Count(total.OutputTokens),
        KeyText.Usd(total.CostMicros)[1..],
    ];

    private static string Count(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);
}
