using System.Net.Http.Headers;
using Switchboard.Telemetry;

namespace Switchboard.Egress;

/// <summary>
/// The <c>User-Agent</c> Switchboard sends to model servers, <c>Switchboard/&lt;version&gt;</c>, so a server's logs and
/// a provider's dashboard tell its traffic apart.
/// </summary>
public static class UpstreamUserAgent
{
    public static ProductInfoHeaderValue Value { get; } = new("Switchboard", ProductVersion.Value);
}
