namespace Switchboard.Configuration;

/// <summary>The rules of <see cref="ReloadOptions"/>.</summary>
public static class ReloadOptionsRules
{
    public static void Check(SwitchboardOptions options, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(problems);
        var debounce = options.Reload.DebounceSeconds;
        if (double.IsNaN(debounce) || debounce < 0 || debounce > 60)
        {
            problems.Add($"{SwitchboardOptions.Section}:Reload:DebounceSeconds: {debounce} must be between 0 and 60");
        }
    }
}
