using System.Collections.Concurrent;
using System.Diagnostics;
using Switchboard.Telemetry;

namespace Switchboard.EndToEnd.Observability;

/// <summary>
/// Records every finished span of Switchboard's activity source, in process. The listener is process-wide, so
/// tests pick their own spans out by trace id.
/// </summary>
internal sealed class SpanCollector : IDisposable
{
    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly ActivityListener _listener;

    public SpanCollector()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == SwitchboardTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _spans.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public IReadOnlyList<Activity> InTrace(ActivityTraceId traceId) => [.. _spans.Where(s => s.TraceId == traceId)];

    /// <summary>Waits until the trace holds <paramref name="count"/> spans (the request span ends just after the client has its answer).</summary>
    public async Task<IReadOnlyList<Activity>> WaitAsync(ActivityTraceId traceId, int count)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (InTrace(traceId).Count < count && DateTime.UtcNow < until)
        {
            await Task.Delay(20);
        }

        return InTrace(traceId);
    }

    public void Dispose() => _listener.Dispose();
}
