using Switchboard.Canonical;
using Switchboard.Egress;
using Switchboard.Routing.Pools;

namespace Switchboard.Pipeline;

/// <summary>
/// A pool target's answer: counts as one of the target's requests in flight until it is disposed, and a failure
/// while it is read (the replica died mid-stream, went silent) counts against the target's health. The answer itself
/// is read unchanged (<see cref="Inner"/>).
/// </summary>
public sealed class PooledResponse(IUpstreamResponse inner, IDisposable lease, TargetHealth target, UpstreamHealthBoard? health)
    : IUpstreamResponse
{
    /// <summary>The egress's own answer.</summary>
    public IUpstreamResponse Inner { get; } = inner;

    public async Task ReadAsync(StreamAssembler assembler, StreamPacing? pacing, CancellationToken cancellationToken)
    {
        try
        {
            await Inner.ReadAsync(assembler, pacing, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException failure) when (!cancellationToken.IsCancellationRequested && UpstreamFailure.KindOf(failure) is { } kind
            && kind is UpstreamFailureKind.Reset or UpstreamFailureKind.TimedOutMidStream or UpstreamFailureKind.TimedOutIdle or UpstreamFailureKind.BadResponse
                or UpstreamFailureKind.ServerError or UpstreamFailureKind.Overloaded)
        {
            health?.Failed(target, kind, null);
            throw;
        }
    }

    public void Dispose()
    {
        Inner.Dispose();
        lease.Dispose();
    }
}
