namespace Switchboard.Configuration;

/// <summary>The rule for stored responses' settings, part of <see cref="SwitchboardOptionsValidator"/>.</summary>
internal static class StoredResponsesOptionsRules
{
    public static void Check(SwitchboardOptions options, List<string> problems)
    {
        if (options.Storage.ResponseRetentionDays < 0)
        {
            problems.Add($"{SwitchboardOptions.Section}:Storage:ResponseRetentionDays: must be 0 (keep every stored response) or a number of days (default 30)");
        }
    }
}
