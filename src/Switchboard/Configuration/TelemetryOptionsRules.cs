namespace Switchboard.Configuration;

/// <summary>The rules for <see cref="TelemetryOptions"/>, part of <see cref="SwitchboardOptionsValidator"/>.</summary>
internal static class TelemetryOptionsRules
{
    public static void Check(SwitchboardOptions options, List<string> problems)
    {
        const string path = SwitchboardOptions.Section + ":Telemetry:MetricsPort";
        if (options.Telemetry.MetricsPort is not { } port)
        {
            return;
        }

        if (port is < 1 or > 65535)
        {
            problems.Add($"{path}: {port} is not a port (1-65535)");
        }
        else if (port == options.Port)
        {
            problems.Add($"{path}: {port} is the main port; leave MetricsPort unset to serve /metrics there behind the admin token");
        }
        else if (!options.Telemetry.Metrics)
        {
            problems.Add($"{path}: set, but Telemetry:Metrics is false, so there is nothing to serve on it");
        }
    }
}
