using Switchboard.Canonical;
using Switchboard.Routing;

namespace Switchboard.Pipeline;

/// <summary>
/// The admit stage: decides, after routing and before anything is sent upstream, whether a request may go on
/// (model permission, rate limits, concurrency, budget). A refusal throws <see cref="ApiException"/> (say
/// <see cref="ApiErrorKind.RateLimit"/>), which the front door answers in its dialect. An admitted request holds
/// the returned lease until it ends.
/// </summary>
public interface IAdmissionPolicy
{
    ValueTask<IAdmissionLease> AdmitAsync(MessageRequest request, ModelRoute route, RequestRecord record, CancellationToken cancellationToken);

    /// <summary>
    /// Sets <see cref="RequestRecord.RateLimits"/> to where the caller stands, charging nothing, for an answer the
    /// admit stage did not decide (a failure before it, a token count), so it carries the caller's rate-limit headers
    /// too. Never throws for a store that cannot answer: the headers are then left out.
    /// </summary>
    ValueTask DescribeAsync(RequestRecord record, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}

/// <summary>
/// What an admitted request holds: its share of the caller's limits. Output is charged as it is produced; the
/// lease is completed exactly once when the answer ends (whole, streamed, aborted or failed), with the final usage
/// in the record, which corrects the input estimate and releases the concurrency slot.
/// </summary>
public interface IAdmissionLease
{
    /// <summary>Output tokens produced so far (a running total, not a delta).</summary>
    void OnOutputTokens(int total);

    /// <summary>Settles the lease against the final usage in <paramref name="record"/>; later calls do nothing.</summary>
    void Complete(RequestRecord record);
}

/// <summary>Admits every request and tracks nothing: no caller limits apply.</summary>
public sealed class AdmitAll : IAdmissionPolicy
{
    public ValueTask<IAdmissionLease> AdmitAsync(MessageRequest request, ModelRoute route, RequestRecord record, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IAdmissionLease>(NoLease.Instance);

    /// <summary>The lease of a request nothing is tracked for.</summary>
    public sealed class NoLease : IAdmissionLease
    {
        public static readonly NoLease Instance = new();

        public void OnOutputTokens(int total)
        {
        }

        public void Complete(RequestRecord record)
        {
        }
    }
}
