using Switchboard.Egress;
using Switchboard.Pipeline;

namespace Switchboard.Telemetry;

/// <summary>Wraps every egress in an <see cref="ObservedUpstream"/>: attempt spans, and attempt and stream metrics when metrics are on.</summary>
public sealed class UpstreamObservation(UpstreamMetrics? metrics = null) : IUpstreamDecorator
{
    public IModelUpstream Decorate(IModelUpstream upstream) => new ObservedUpstream(upstream, metrics);
}
