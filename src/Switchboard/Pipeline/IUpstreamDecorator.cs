using Switchboard.Egress;

namespace Switchboard.Pipeline;

/// <summary>
/// Wraps every egress <see cref="UpstreamApis"/> hands out, so each call to an upstream (an attempt: a retry or a
/// failover is another call) can be observed — traced and counted — without the send stage knowing.
/// </summary>
public interface IUpstreamDecorator
{
    IModelUpstream Decorate(IModelUpstream upstream);
}
