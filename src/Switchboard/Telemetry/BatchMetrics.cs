using System.Diagnostics.Metrics;

namespace Switchboard.Telemetry;

/// <summary>
/// Message batch progress on the <c>Switchboard</c> meter, counted by the process that runs each request (no store
/// query per scrape): batch requests run to an outcome, by result — <c>succeeded</c>, <c>errored</c> (its result is
/// an error), <c>retried</c> (a failure worth retrying, given back to run again after a pause) — and the batch requests
/// this process is running now. An operator alerts on the errored share and on requests stuck running.
/// </summary>
public sealed class BatchMetrics
{
    public const string Requests = "switchboard.batch.requests";
    public const string Running = "switchboard.batch.running";
    public const string ResultLabel = "switchboard.batch.result";

    public const string Succeeded = "succeeded";
    public const string Errored = "errored";
    public const string Retried = "retried";

    private readonly Meter _meter;
    private readonly Counter<long> _requests;

    public BatchMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _meter = meters.Create(OverheadMetrics.MeterName);
        _requests = _meter.CreateCounter<long>(Requests, "{request}", "Message batch requests run to an outcome, by result");
    }

    /// <summary>Reports the batch requests running in this process whenever the meter is observed.</summary>
    public void ObserveRunning(Func<int> running) =>
        _meter.CreateObservableUpDownCounter(Running, running, "{request}", "Message batch requests this process is running now");

    /// <summary>One batch request ended with <paramref name="result"/> (<see cref="Succeeded"/>, <see cref="Errored"/>, <see cref="Retried"/>).</summary>
    public void Finished(string result) => _requests.Add(1, new KeyValuePair<string, object?>(ResultLabel, result));
}
