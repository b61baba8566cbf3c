using Switchboard.Canonical;
using Switchboard.Egress;
using Switchboard.Routing.Pools;

namespace Switchboard.Pipeline;

/// <summary>
/// Watches a pool target's answer: it counts as one of the target's requests in flight until it is released, and a
/// failure while it is read or relayed (the replica died mid-stream, went silent) counts against the target's health.
/// </summary>
public sealed class PoolTargetWatcher(IDisposable lease, TargetHealth target, UpstreamHealthBoard? health) : IResponseWatcher
{
    public void ReadStarted(bool streaming)
    {
    }

    public void ReadFailed(Exception failure, CancellationToken cancellationToken)
    {
        if (!cancellationToken.IsCancellationRequested && failure is ApiException api && UpstreamFailure.KindOf(api) is { } kind
            && kind is UpstreamFailureKind.Reset or UpstreamFailureKind.TimedOutMidStream or UpstreamFailureKind.TimedOutIdle
                or UpstreamFailureKind.BadResponse or UpstreamFailureKind.ServerError or UpstreamFailureKind.Overloaded)
        {
            health?.Failed(target, kind, null);
        }
    }

    public void ReadEnded(bool streaming, Usage usage)
    {
    }

    public void Released() => lease.Dispose();
}
