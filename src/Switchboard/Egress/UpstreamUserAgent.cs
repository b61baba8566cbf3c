using System.Net.Http.Headers;
using System.Reflection;

namespace Switchboard.Egress;

/// <summary>
/// The <c>User-Agent</c> Switchboard sends to model servers, <c>Switchboard/&lt;version&gt;</c>, so a server's logs and
/// a provider's dashboard tell its traffic apart. The version is the product version <c>--version</c> prints.
/// </summary>
public static class UpstreamUserAgent
{
    public static ProductInfoHeaderValue Value { get; } = new("Switchboard", Read());

    private static string Read()
    {
        var assembly = typeof(UpstreamUserAgent).Assembly;

        // The SDK appends "+<commit>" to the informational version; the product version is what precedes it.
        return assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
            ?? assembly.GetName().Version?.ToString(3) ?? "0.0.0";
    }
}
