using Switchboard.Canonical;
using Switchboard.Configuration;

namespace Switchboard.Tenancy.Limits;

/// <summary>
/// The counters the admit stage uses: the shared store when one is configured and reachable, else this process's
/// own. While the shared store is unreachable each process enforces every limit on its own (so a key can get up to
/// its limit once per process), with one warning per outage and a metric per admission decided that way; with
/// <c>Storage:FailClosed</c> limited keys are refused instead. Requests admitted by one store are charged and
/// released in that same store.
/// </summary>
public sealed partial class LimitCounters(
    LocalLimitCounters local, SwitchboardOptions options, LimitMetrics metrics, ILogger<LimitCounters> logger, ISharedLimitCounterStore? shared = null)
{
    /// <summary>Seconds a client is told to wait when the shared store is down and Switchboard fails closed.</summary>
    internal const int UnavailableRetrySeconds = 5;

    private readonly StorageOptions _storage = options.Storage;
    private int _outage;

    /// <summary>Whether counters are shared by several processes (a shared store is configured).</summary>
    public bool Shared => shared is not null;

    public ValueTask<CounterDecision> AcquireAsync(CounterRequest request, CancellationToken cancellationToken)
    {
        if (shared is null)
        {
            return local.AcquireAsync(request, cancellationToken);
        }

        return shared.IsAvailable ? SharedAsync(shared, request, cancellationToken) : Unreachable(request, null, cancellationToken);
    }

    /// <summary>What the key's buckets hold, from the store that would admit it now; null when that cannot be known.</summary>
    public async ValueTask<CounterLevels?> PeekAsync(string keyId, KeyLimits limits, CancellationToken cancellationToken)
    {
        if (shared is null || !shared.IsAvailable)
        {
            return shared is not null && _storage.FailClosed ? null : await local.PeekAsync(keyId, limits, cancellationToken);
        }

        try
        {
            return await shared.PeekAsync(keyId, limits, cancellationToken);
        }
        catch (LimitStoreUnavailableException)
        {
            return null;
        }
    }

    private async ValueTask<CounterDecision> SharedAsync(ISharedLimitCounterStore store, CounterRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var decision = await store.AcquireAsync(request, cancellationToken);
            if (Interlocked.Exchange(ref _outage, 0) == 1)
            {
                LogBack(logger, store.Location);
            }

            return decision;
        }
        catch (LimitStoreUnavailableException failure)
        {
            return await Unreachable(request, failure, cancellationToken);
        }
    }

    private ValueTask<CounterDecision> Unreachable(CounterRequest request, Exception? failure, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _outage, 1) == 0)
        {
            if (_storage.FailClosed)
            {
                LogUnreachableClosed(logger, failure, shared!.Location);
            }
            else
            {
                LogUnreachableOpen(logger, failure, shared!.Location);
            }
        }

        if (_storage.FailClosed)
        {
            metrics.Refused("store_unavailable");
            throw new ApiException(new ApiError(
                ApiErrorKind.Overloaded,
                "Switchboard's rate-limit store is unavailable, so requests of keys with rate limits are refused for now (Storage:FailClosed is set). Please try again shortly.")
            {
                RetryAfterSeconds = UnavailableRetrySeconds,
                RetryAfterMilliseconds = UnavailableRetrySeconds * 1000,
                Code = "service_unavailable",
            });
        }

        metrics.FellBack();
        return local.AcquireAsync(request, cancellationToken);
    }

    [LoggerMessage(EventId = 110, Level = LogLevel.Warning,
        Message = "The shared rate-limit store ({Store}) is unreachable: each Switchboard process now enforces per-key limits on its own, so a key can get up to its limit once per process until it is back")]
    private static partial void LogUnreachableOpen(ILogger logger, Exception? exception, string store);

    [LoggerMessage(EventId = 111, Level = LogLevel.Warning,
        Message = "The shared rate-limit store ({Store}) is unreachable: requests of keys with rate limits are refused until it is back (Storage:FailClosed)")]
    private static partial void LogUnreachableClosed(ILogger logger, Exception? exception, string store);

    [LoggerMessage(EventId = 112, Level = LogLevel.Information, Message = "The shared rate-limit store ({Store}) is reachable again: per-key limits are shared again")]
    private static partial void LogBack(ILogger logger, string store);
}
