using Switchboard.Egress;

namespace Switchboard.Routing;

/// <summary>The health view before any tracking exists: every configured upstream, state <c>unknown</c>.</summary>
public sealed class ConfiguredUpstreamsView(UpstreamRegistry upstreams) : IUpstreamHealthView
{
    public IReadOnlyList<UpstreamHealthReport> Report() =>
        [.. upstreams.All.Select(u => new UpstreamHealthReport(
            u.Name, u.Options.Api, Uri.TryCreate(u.BaseUrl, UriKind.Absolute, out var uri) ? uri.Authority : "", "unknown", 0, null, null))];
}
