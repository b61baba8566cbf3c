using Microsoft.Extensions.Configuration;

namespace Switchboard.Configuration;

/// <summary>
/// Which settings a reload cannot apply: everything under <c>Switchboard</c> but <c>Upstreams</c> and <c>Models</c>
/// (the listen address, storage, keys, the admin token, the thinking secret, limits, pools, telemetry …) is read once
/// at start. Compares two configurations' values and names the settings that differ, never their values (they may
/// be secrets).
/// </summary>
public static class RestartOnlySettings
{
    /// <summary>The sections a reload applies.</summary>
    public static readonly string[] Reloadable = ["Upstreams", "Models"];

    /// <summary>The restart-only values of <paramref name="configuration"/>, by key path.</summary>
    public static Dictionary<string, string?> Of(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in configuration.GetSection(SwitchboardOptions.Section).AsEnumerable())
        {
            if (value is not null && !IsReloadable(key))
            {
                values[key] = value;
            }
        }

        return values;
    }

    /// <summary>The settings (<c>Switchboard:Port</c>, <c>Switchboard:Storage</c> …) whose values differ, in order.</summary>
    public static List<string> Changed(IReadOnlyDictionary<string, string?> running, IReadOnlyDictionary<string, string?> next)
    {
        ArgumentNullException.ThrowIfNull(running);
        ArgumentNullException.ThrowIfNull(next);
        var changed = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var key in running.Keys.Union(next.Keys, StringComparer.OrdinalIgnoreCase))
        {
            if (!string.Equals(running.GetValueOrDefault(key), next.GetValueOrDefault(key), StringComparison.Ordinal))
            {
                changed.Add(Setting(key));
            }
        }

        return [.. changed];
    }

    private static bool IsReloadable(string key)
    {
        var parts = key.Split(':');
        return parts.Length >= 2 && Reloadable.Contains(parts[1], StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>A key path shortened to its setting: <c>Switchboard:Storage:Redis</c> → <c>Switchboard:Storage</c>, list items to their list.</summary>
    private static string Setting(string key)
    {
        var parts = key.Split(':');
        return parts.Length <= 2 ? key : $"{parts[0]}:{parts[1]}";
    }
}
