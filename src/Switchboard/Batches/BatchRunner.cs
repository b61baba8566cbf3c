using System.Collections.Concurrent;
using System.Data.Common;
using System.Text.Json;
using Switchboard.Canonical;
using Switchboard.Configuration;
using Switchboard.Pipeline;
using Switchboard.Telemetry;
using Switchboard.Tenancy;

namespace Switchboard.Batches;

/// <summary>
/// Runs batch requests in the background, each through the same <see cref="MessagePipeline"/> as an interactive
/// request (under the batch owner's key, see <see cref="BatchCallers"/>), its answer captured in memory
/// (<see cref="CapturedResponse"/>) and stored as its result. Every poll (and whenever a batch is created or a run
/// ends) it moves batches along (cancel, expiry, end) and claims as many pending requests as it has free slots
/// (<c>Batches:MaxConcurrency</c>), oldest batch first; each then waits for its upstream's batch share
/// (<see cref="UpstreamSlots"/>). Leases are renewed while requests run. A failure worth retrying is retried with a
/// growing pause up to <c>Batches:MaxAttempts</c>; on stop, running requests are abandoned and given back, so the
/// next process to start runs them again.
/// </summary>
public sealed partial class BatchRunner(
    IBatchStore store,
    MessagePipeline pipeline,
    BatchDoor door,
    BatchCallers callers,
    UpstreamSlots slots,
    IUpstreamNames upstreams,
    BatchSignal signal,
    DrainSignal drain,
    IEnumerable<IRequestSettlement> settlements,
    BatchMetrics metrics,
    SwitchboardOptions options,
    TimeProvider time,
    ILogger<BatchRunner> logger) : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan StoreRetry = TimeSpan.FromSeconds(5);

    /// <summary>The first poll waits this long, so it does not compete with start-up (the first requests' JIT).</summary>
    public static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(2);

    private readonly BatchesOptions _options = options.Batches;
    private readonly IRequestSettlement[] _settlements = settlements.ToArray();
    private readonly ConcurrentDictionary<(string BatchId, int Index), BatchWork> _running = new();
    private readonly ConcurrentDictionary<Task, bool> _runs = new();
    private readonly LogThrottle _storeLog = new(time, TimeSpan.FromMinutes(1));

    /// <summary>Batch requests this process runs now (claimed and not yet finished).</summary>
    public int Running => _running.Count;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lease = TimeSpan.FromSeconds(_options.LeaseSeconds);
        var poll = TimeSpan.FromSeconds(_options.PollSeconds);
        var renewed = time.GetUtcNow();
        metrics.ObserveRunning(() => _running.Count);
        try
        {
            await Task.Delay(FirstDelay, time, stoppingToken);
            await store.ResumeAsync(time.GetUtcNow(), stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception failure) when (!stoppingToken.IsCancellationRequested)
        {
            LogStoreFailed(logger, failure);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var now = time.GetUtcNow();
                await store.AdvanceAsync(now, stoppingToken);
                var free = _options.MaxConcurrency - _running.Count;
                if (free > 0 && !drain.IsStopping)
                {
                    foreach (var work in await store.ClaimAsync(free, now, lease, stoppingToken))
                    {
                        _running[(work.BatchId, work.Index)] = work;
                        Track(RunAsync(work, stoppingToken));
                    }
                }

                if (now - renewed >= lease / 3)
                {
                    await store.RenewAsync([.. _running.Values], now + lease, stoppingToken);
                    renewed = now;
                }
            }
            catch (Exception failure) when (!stoppingToken.IsCancellationRequested)
            {
                if (_storeLog.TryEnter(out _))
                {
                    LogStoreFailed(logger, failure);
                }
            }

            try
            {
                await signal.WaitAsync(poll, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        // Running requests were cancelled with the stop; each gives its claim back before the process ends.
        await Task.WhenAll(_runs.Keys);
    }

    private void Track(Task run)
    {
        _runs[run] = true;
        _ = run.ContinueWith(done => _runs.TryRemove(done, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task RunAsync(BatchWork work, CancellationToken stopping)
    {
        await Task.Yield();
        var attempt = work.Attempts + 1;
        var requestId = BatchIds.RequestId(work.BatchId, work.CustomId, attempt);
        try
        {
            // The pipeline disposes it once read; disposing again here covers a run stopped before that.
            using var json = new ParamsJson(JsonDocument.Parse(work.ParamsJson));
            using var slot = await slots.EnterAsync(UpstreamOf(json.Model), stopping);
            var owner = await callers.ResolveAsync(work.KeyId, stopping);
            var channel = new CapturedResponse(requestId, stopping);
            var record = new RequestRecord { RequestId = requestId, StartedAt = time.GetUtcNow(), KeyId = work.KeyId, Caller = owner.Caller };
            var started = time.GetTimestamp();
            if (owner.Refusal is { } refusal)
            {
                record.FrontDoor = door.Name;
                record.ErrorKind = refusal.Kind;
                await door.WriteErrorAsync(channel, refusal);
            }
            else
            {
                await pipeline.RunAsync(door, () => Task.FromResult<IRequestJson>(json), channel, record);
            }

            if (stopping.IsCancellationRequested || record.ClientLeft || channel.Status == 0 || (drain.IsStopping && record.ErrorKind is not null))
            {
                // Stopped, not failed: the request runs again, in this process's successor or another one.
                await GiveBackAsync(work, time.GetUtcNow(), work.Attempts);
                return;
            }

            record.Status = channel.Status;
            record.DurationMs = time.GetElapsedTime(started).TotalMilliseconds;
            foreach (var settlement in _settlements)
            {
                settlement.Settle(record);
            }

            LogRequest(logger, requestId, record.Status, record.Model ?? "-", record.InputTokens ?? 0, record.OutputTokens ?? 0, (long)record.DurationMs);
            var body = await channel.ReadBodyAsync();
            if (channel.Status == 200)
            {
                await CompleteAsync(work, BatchRequestState.Succeeded, body);
            }
            else if (Retryable(record.ErrorKind) && attempt < _options.MaxAttempts)
            {
                await GiveBackAsync(work, time.GetUtcNow() + Backoff(attempt), attempt);
                metrics.Finished(BatchMetrics.Retried);
            }
            else
            {
                await CompleteAsync(work, BatchRequestState.Errored, body);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            await GiveBackAsync(work, time.GetUtcNow(), work.Attempts);
        }
        catch (DbException failure)
        {
            // The store (the key lookup, or the result write): the request runs again once the store answers.
            if (_storeLog.TryEnter(out _))
            {
                LogStoreFailed(logger, failure);
            }

            await GiveBackAsync(work, time.GetUtcNow() + StoreRetry, work.Attempts);
        }
        catch (Exception failure)
        {
            LogRunFailed(logger, failure, requestId);
            await CompleteFailedAsync(work, requestId);
        }
        finally
        {
            _running.TryRemove((work.BatchId, work.Index), out _);
            signal.Wake();
        }
    }

    private string? UpstreamOf(string? model) => model is null ? null : upstreams.Of(model);

    /// <summary>Failures a later attempt may not meet: overload, rate limits, timeouts, an upstream that failed.</summary>
    private static bool Retryable(ApiErrorKind? kind) => kind is { } k && (k.IsRetryable() || k == ApiErrorKind.BadGateway);

    private static TimeSpan Backoff(int attempt)
    {
        var pause = TimeSpan.FromSeconds(Math.Pow(2, attempt));
        return pause < MaxBackoff ? pause : MaxBackoff;
    }

    private async Task GiveBackAsync(BatchWork work, DateTimeOffset notBefore, int attempts)
    {
        try
        {
            await store.ReleaseAsync(work, notBefore, attempts, CancellationToken.None);
        }
        catch (Exception failure)
        {
            // Its lease runs out instead, and it runs again then.
            LogStoreFailed(logger, failure);
        }
    }

    /// <summary>An unexpected failure ends the request as errored (an api_error result), never in a loop.</summary>
    private async Task CompleteFailedAsync(BatchWork work, string requestId)
    {
        try
        {
            var channel = new CapturedResponse(requestId, CancellationToken.None);
            await door.WriteErrorAsync(channel, new ApiError(ApiErrorKind.Api, "Internal error while running this batch request."));
            await CompleteAsync(work, BatchRequestState.Errored, await channel.ReadBodyAsync());
        }
        catch (Exception failure)
        {
            LogStoreFailed(logger, failure);
        }
    }

    /// <summary>Stores a request's outcome and counts it, unless it already had one.</summary>
    private async Task CompleteAsync(BatchWork work, string state, string? body)
    {
        if (await store.CompleteAsync(work, state, body, CancellationToken.None))
        {
            metrics.Finished(state == BatchRequestState.Succeeded ? BatchMetrics.Succeeded : BatchMetrics.Errored);
        }
    }

    [LoggerMessage(EventId = 460, Level = LogLevel.Information, Message = "{RequestId} batch request {Status} model={Model} in={InputTokens} out={OutputTokens} {DurationMs}ms")]
    private static partial void LogRequest(ILogger logger, string requestId, int status, string model, int inputTokens, int outputTokens, long durationMs);

    [LoggerMessage(EventId = 461, Level = LogLevel.Warning, Message = "Message batches: the store could not be reached; batch requests wait and run when it answers")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 462, Level = LogLevel.Error, Message = "{RequestId} batch request failed unexpectedly; its result is an api_error")]
    private static partial void LogRunFailed(ILogger logger, Exception exception, string requestId);
}
