
namespace Switchboard.Egress;

/// <summary>
/// The whole-request time limit of one upstream call (<see cref="Hosting.UpstreamOptions.TimeoutSeconds"/>), covering
/// the wait for headers and the read of a long streamed body alike, joined with the caller's cancellation.
/// </summary>
public sealed class UpstreamDeadline : IDisposable
{
    private readonly CancellationTokenSource? _limit;
    private readonly CancellationTokenSource _linked;

    public UpstreamDeadline(TimeSpan limit, TimeProvider time, CancellationToken caller)
    {
        if (limit > TimeSpan.Zero && limit != Timeout.InfiniteTimeSpan)
        {
            _limit = new CancellationTokenSource(limit, time);
            _linked = CancellationTokenSource.CreateLinkedTokenSource(caller, _limit.Token);
        }
        else
        {
            _linked = CancellationTokenSource.CreateLinkedTokenSource(caller);
        }
    }

    /// <summary>Cancelled when the limit passes or the caller cancels.</summary>
    public CancellationToken Token => _linked.Token;

    public bool Expired => _limit?.IsCancellationRequested == true;

    public void Dispose()
    {
        _linked.Dispose();
        _limit?.Dispose();
    }
}
