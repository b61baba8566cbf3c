using Switchboard.Pipeline;

namespace Switchboard.Tenancy.Limits;

/// <summary>
/// An admitted request's hold on its key's counters. Output is charged as it streams (at once in process, at most
/// every <see cref="ILimitCounterStore.OutputChargeInterval"/> in a shared store); <see cref="Complete"/> corrects
/// the input estimate to the real count, charges the output not yet charged and frees the concurrency slot — once,
/// whatever calls it again, and also for an answer that failed or whose client left (the tokens actually streamed).
/// </summary>
public sealed class LimitedLease : IAdmissionLease
{
    private readonly CounterTicket _ticket;
    private readonly long _inputEstimate;
    private readonly TimeProvider _time;
    private readonly bool _chargesOutput;
    private readonly bool _holdsSlot;
    private readonly long _outputBatch;
    private long _outputCharged;
    private long _outputSeen;
    private long _chargedAt;
    private int _completed;

    public LimitedLease(in CounterTicket ticket, long inputEstimate, TimeProvider time)
    {
        _ticket = ticket;
        _inputEstimate = inputEstimate;
        _time = time;
        _chargesOutput = ticket.Limits.OutputTokensPerMinute is not null;
        _holdsSlot = ticket.Limits.Concurrency is not null;

        // In a shared store a charge is a round trip: batch it, by time or by a twentieth of the limit.
        _outputBatch = ticket.Store.OutputChargeInterval == TimeSpan.Zero ? 1 : Math.Max(1, (ticket.Limits.OutputTokensPerMinute ?? 0) / 20);
        _chargedAt = time.GetTimestamp();
    }

    /// <summary>Output tokens charged so far (for tests and diagnostics).</summary>
    public long OutputCharged => Volatile.Read(ref _outputCharged);

    public bool Completed => Volatile.Read(ref _completed) == 1;

    public void OnOutputTokens(int total)
    {
        if (!_chargesOutput || total <= _outputSeen || Completed)
        {
            return;
        }

        _outputSeen = total;
        var pending = total - _outputCharged;
        if (pending < _outputBatch && _time.GetElapsedTime(_chargedAt) < _ticket.Store.OutputChargeInterval)
        {
            return;
        }

        _outputCharged = total;
        _chargedAt = _time.GetTimestamp();
        _ticket.Store.Charge(_ticket, 0, pending, release: false);
    }

    public void Complete(RequestRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (Interlocked.Exchange(ref _completed, 1) == 1)
        {
            return;
        }

        // Anthropic's rule: input read from a prompt cache does not count against the limit, input written to one
        // does. No input count at all means the upstream never took the request: the estimate is given back. The
        // output is the final count (the upstream's when it reported one), also below what was charged as it streamed.
        var input = _ticket.Limits.InputTokensPerMinute is null ? 0 : ((record.InputTokens ?? 0) + (record.CacheWriteTokens ?? 0)) - _inputEstimate;
        var output = _chargesOutput ? (record.OutputTokens ?? _outputSeen) - _outputCharged : 0;
        _outputCharged += output;
        if (input != 0 || output != 0 || _holdsSlot)
        {
            _ticket.Store.Charge(_ticket, input, output, release: _holdsSlot);
        }
    }
}
