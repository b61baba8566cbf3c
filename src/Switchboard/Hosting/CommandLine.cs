using Switchboard.Configuration;
using Switchboard.Pipeline;
using Switchboard.Telemetry;

namespace Switchboard.Hosting;

/// <summary>
/// The quickstart flags (<c>--upstream URL --model NAME [--upstream-key K] [--api-key K] [--port N] [--host H]</c>),
/// mapped onto configuration keys so flags, JSON files and environment variables all land in one place.
/// </summary>
internal static class CommandLine
{
    public const string QuickstartSection = "Switchboard:Quickstart";

    public static readonly Dictionary<string, string> SwitchMappings = new(StringComparer.OrdinalIgnoreCase)
    {
        ["--upstream"] = QuickstartSection + ":Upstream",
        ["--model"] = QuickstartSection + ":Model",
        ["--upstream-key"] = QuickstartSection + ":UpstreamKey",
        ["--api-key"] = QuickstartSection + ":ApiKey",
        ["--port"] = "Switchboard:Port",
        ["--host"] = "Switchboard:Host",
        ["--config"] = "Switchboard:ConfigFile",
    };

    /// <summary>Folds the quickstart flags into the options: one upstream, one model that answers to every name.</summary>
    public static void ApplyQuickstart(IConfiguration configuration, SwitchboardOptions options)
    {
        var quickstart = configuration.GetSection(QuickstartSection);
        if (quickstart["ApiKey"] is { Length: > 0 } apiKey)
        {
            options.ApiKeys.Add(apiKey);
        }

        if (quickstart["Upstream"] is not { Length: > 0 } upstream)
        {
            return;
        }

        options.Upstreams["default"] = new UpstreamOptions { BaseUrl = upstream, ApiKey = quickstart["UpstreamKey"] };
        if (quickstart["Model"] is not { Length: > 0 } model)
        {
            return;
        }

        // Settings given for this model elsewhere (by name, or an unnamed first entry) refine the quickstart model.
        var entry = options.Models.Find(m => m.Name == model) ?? options.Models.Find(m => m.Name.Length == 0);
        if (entry is null)
        {
            entry = new ModelOptions();
            options.Models.Insert(0, entry);
        }

        entry.Name = model;
        entry.Upstream ??= "default";
        entry.UpstreamModel ??= model;
        if (entry.Aliases.Count == 0)
        {
            entry.Aliases.Add("*");
        }
    }
}
