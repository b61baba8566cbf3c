using Switchboard.Pipeline;

namespace Switchboard.Dashboard;

/// <summary>What the dashboard keeps of one finished request: figures only, no names but the target's.</summary>
public readonly record struct TrafficSample(
    bool Failed, long InputTokens, long CachedTokens, long OutputTokens, double? FirstTokenMs, double? OverheadUs, double DurationMs, string? FailureKind)
{
    /// <summary>
    /// A failure is what the client was told of: a status of 400 or more, or an error that ended a stream. A client
    /// that went away (499) is not the gateway's failure.
    /// </summary>
    public static TrafficSample From(RequestRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var failed = record.Status != 499 && (record.Status >= 400 || record.ErrorKind is not null);
        return new TrafficSample(
            failed,
            record.InputTokens ?? 0,
            (record.CacheReadTokens ?? 0) + (record.CacheWriteTokens ?? 0),
            record.OutputTokens ?? 0,
            record.TimeToFirstTokenMs,
            record.OverheadUs,
            record.DurationMs ?? 0,
            failed ? record.ErrorKind?.ToString() ?? $"HTTP {record.Status}" : null);
    }
}
