using System.Threading.Channels;
using Switchboard.Configuration;
using Switchboard.Telemetry;

namespace Switchboard.Tenancy.Ledger;

/// <summary>
/// Ledger rows waiting for the writer (<see cref="LedgerWriter"/>): a bounded channel of
/// <see cref="StorageOptions.LedgerQueueCapacity"/> rows. Adding never waits. When the queue is full the new row is
/// dropped (drop-newest), counted in <c>switchboard.ledger.dropped</c> and reported in the log at most every
/// <see cref="DropReportInterval"/>: a full queue means the store is down or slower than the request rate, and
/// neither waiting (the request would wait on the store) nor evicting queued rows (the writer would lose rows it
/// is about to write, for no fewer losses) is better.
/// </summary>
public sealed partial class LedgerQueue
{
    public static readonly TimeSpan DropReportInterval = TimeSpan.FromSeconds(10);

    private readonly Channel<UsageRow> _rows;
    private readonly LedgerMetrics _metrics;
    private readonly LogThrottle _dropReports;
    private readonly ILogger<LedgerQueue> _logger;

    public LedgerQueue(SwitchboardOptions options, LedgerMetrics metrics, TimeProvider time, ILogger<LedgerQueue> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        Capacity = Math.Max(1, options.Storage.LedgerQueueCapacity);
        _rows = Channel.CreateBounded<UsageRow>(new BoundedChannelOptions(Capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
        _metrics = metrics;
        _logger = logger;
        _dropReports = new LogThrottle(time, DropReportInterval);
        metrics.ObserveQueueDepth(() => _rows.Reader.Count);
    }

    public int Capacity { get; }

    /// <summary>Rows waiting to be written.</summary>
    public int Count => _rows.Reader.Count;

    internal ChannelReader<UsageRow> Reader => _rows.Reader;

    /// <summary>Queues a row for the writer; false (and counted) when the queue is full and the row is dropped.</summary>
    public bool TryAdd(UsageRow row)
    {
        if (_rows.Writer.TryWrite(row))
        {
            return true;
        }

        _metrics.RowDropped();
        if (_dropReports.TryEnter(out var suppressed))
        {
            LogDropped(_logger, suppressed + 1, Capacity);
        }

        return false;
    }

    [LoggerMessage(EventId = 410, Level = LogLevel.Warning,
        Message = "Usage ledger queue full ({Capacity} rows waiting for the store): {Dropped} row(s) dropped since the last report; see switchboard.ledger.dropped")]
    private static partial void LogDropped(ILogger logger, long dropped, int capacity);
}
