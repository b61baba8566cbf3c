namespace Switchboard.Configuration;

/// <summary>The rules for the Message Batches settings, part of <see cref="SwitchboardOptionsValidator"/>.</summary>
internal static class BatchesOptionsRules
{
    public static void Check(SwitchboardOptions options, List<string> problems)
    {
        var batches = options.Batches;
        var at = $"{SwitchboardOptions.Section}:Batches";
        Positive(problems, $"{at}:MaxConcurrency", batches.MaxConcurrency);
        Positive(problems, $"{at}:MaxConcurrencyPerUpstream", batches.MaxConcurrencyPerUpstream);
        Positive(problems, $"{at}:MaxRequests", batches.MaxRequests);
        Positive(problems, $"{at}:MaxAttempts", batches.MaxAttempts);
        if (batches.YieldAtInteractiveInFlight < 0)
        {
            problems.Add($"{at}:YieldAtInteractiveInFlight: must be 0 (never yield) or a number of requests (default 8)");
        }

        if (batches.ResultRetentionDays < 0)
        {
            problems.Add($"{at}:ResultRetentionDays: must be 0 (keep batches for ever) or a number of days (default 29)");
        }

        if (!(batches.ExpiryHours > 0))
        {
            problems.Add($"{at}:ExpiryHours: must be a positive number of hours (default 24)");
        }

        if (!(batches.LeaseSeconds >= 1))
        {
            problems.Add($"{at}:LeaseSeconds: must be at least 1 second (default 60)");
        }

        if (!(batches.PollSeconds > 0))
        {
            problems.Add($"{at}:PollSeconds: must be a positive number of seconds (default 1)");
        }

        if (batches.MaxBodyBytes < 1024)
        {
            problems.Add($"{at}:MaxBodyBytes: must be at least 1024 bytes (default 268435456, 256 MB)");
        }
    }

    private static void Positive(List<string> problems, string name, int value)
    {
        if (value < 1)
        {
            problems.Add($"{name}: must be at least 1");
        }
    }
}
