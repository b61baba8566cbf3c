namespace Switchboard.Configuration;

/// <summary>
/// The rules for prices and the usage ledger's settings, part of <see cref="SwitchboardOptionsValidator"/>: a
/// negative price would pay a key for using a model, and a queue without room would drop every row.
/// </summary>
internal static class LedgerOptionsRules
{
    public static void Check(SwitchboardOptions options, List<string> problems)
    {
        const string root = SwitchboardOptions.Section;
        CheckPrices($"{root}:Tenancy:DefaultPrices", options.Tenancy.DefaultPrices, problems);
        for (var i = 0; i < options.Models.Count; i++)
        {
            CheckPrices($"{root}:Models:{i}:Prices", options.Models[i].Prices, problems);
        }

        if (options.Storage.LedgerQueueCapacity <= 0)
        {
            problems.Add($"{root}:Storage:LedgerQueueCapacity: must be greater than 0 (rows waiting to be written; default 65536)");
        }

        if (options.Storage.LedgerRetentionDays < 0)
        {
            problems.Add($"{root}:Storage:LedgerRetentionDays: must be 0 (keep every row) or a number of days");
        }
    }

    private static void CheckPrices(string path, ModelPrices? prices, List<string> problems)
    {
        if (prices is null)
        {
            return;
        }

        Check($"{path}:InputPerMillion", prices.InputPerMillion, problems);
        Check($"{path}:OutputPerMillion", prices.OutputPerMillion, problems);
        Check($"{path}:CacheReadPerMillion", prices.CacheReadPerMillion, problems);
        Check($"{path}:CacheWritePerMillion", prices.CacheWritePerMillion, problems);
    }

    private static void Check(string path, decimal? price, List<string> problems)
    {
        if (price is { } value && value < 0)
        {
            problems.Add($"{path}: {value.ToString(System.Globalization.CultureInfo.InvariantCulture)} is negative; prices are US dollars per million tokens, 0 or more");
        }
    }
}
