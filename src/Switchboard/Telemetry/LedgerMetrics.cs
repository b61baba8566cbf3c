using System.Diagnostics.Metrics;

namespace Switchboard.Telemetry;

/// <summary>
/// The usage ledger's instruments on the <c>Switchboard</c> meter: rows written, rows dropped because the queue was
/// full, failed writes (retried), the queue's depth, and requests left out of the ledger because they never reached
/// a front door (refused by the key check, unknown paths), by status.
/// </summary>
public sealed class LedgerMetrics
{
    public const string Written = "switchboard.ledger.written";
    public const string Dropped = "switchboard.ledger.dropped";
    public const string WriteFailures = "switchboard.ledger.write_failures";
    public const string QueueDepth = "switchboard.ledger.queue_depth";
    public const string Unrecorded = "switchboard.ledger.unrecorded";

    private readonly Meter _meter;
    private readonly Counter<long> _written;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _writeFailures;
    private readonly Counter<long> _unrecorded;

    public LedgerMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _meter = meters.Create(OverheadMetrics.MeterName);
        _written = _meter.CreateCounter<long>(Written, "{row}", "Usage ledger rows written to the store");
        _dropped = _meter.CreateCounter<long>(Dropped, "{row}", "Usage ledger rows dropped because the write queue was full");
        _writeFailures = _meter.CreateCounter<long>(WriteFailures, "{batch}", "Usage ledger batch writes that failed and are retried");
        _unrecorded = _meter.CreateCounter<long>(Unrecorded, "{request}",
            "Failed requests left out of the usage ledger because they never reached a front door (key check, unknown path)");
    }

    /// <summary>Reports the queue's depth whenever the meter is observed.</summary>
    public void ObserveQueueDepth(Func<int> depth) =>
        _meter.CreateObservableGauge(QueueDepth, depth, "{row}", "Usage ledger rows waiting to be written");

    public void RowsWritten(int count) => _written.Add(count);

    public void RowDropped() => _dropped.Add(1);

    public void WriteFailed() => _writeFailures.Add(1);

    public void RequestUnrecorded(int status) => _unrecorded.Add(1, new KeyValuePair<string, object?>("http.response.status_code", status));
}
