using System.Net;

namespace Switchboard.Configuration;

/// <summary>The rules for <see cref="WebFetchOptions"/>, part of <see cref="SwitchboardOptionsValidator"/>.</summary>
internal static class WebFetchOptionsRules
{
    public static void Check(SwitchboardOptions options, List<string> problems)
    {
        var fetch = options.WebFetch;
        var at = $"{SwitchboardOptions.Section}:WebFetch";
        if (fetch.MaxBytes < 1024)
        {
            problems.Add($"{at}:MaxBytes: must be at least 1024 bytes (default 10485760, 10 MB)");
        }

        if (!(fetch.TimeoutSeconds > 0))
        {
            problems.Add($"{at}:TimeoutSeconds: must be a positive number of seconds (default 30)");
        }

        if (fetch.MaxRedirects is < 0 or > 20)
        {
            problems.Add($"{at}:MaxRedirects: must be 0 to 20 (default 5)");
        }

        for (var i = 0; i < fetch.AllowedPrivateNetworks.Count; i++)
        {
            if (!IPNetwork.TryParse(fetch.AllowedPrivateNetworks[i]?.Trim() ?? "", out _))
            {
                problems.Add($"{at}:AllowedPrivateNetworks:{i}: '{fetch.AllowedPrivateNetworks[i]}' is not a network in CIDR form (e.g. 10.20.0.0/16, fd00:1::/64, 127.0.0.1/32)");
            }
        }

        for (var i = 0; i < fetch.AllowedHosts.Count; i++)
        {
            var host = fetch.AllowedHosts[i]?.Trim() ?? "";
            var name = host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host;
            if (name.Length == 0 || Uri.CheckHostName(name) == UriHostNameType.Unknown)
            {
                problems.Add($"{at}:AllowedHosts:{i}: '{host}' is not a host name (e.g. wiki.example.internal or *.example.internal)");
            }
        }
    }
}
