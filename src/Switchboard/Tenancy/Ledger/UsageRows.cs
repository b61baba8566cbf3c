using Switchboard.Pipeline;
using Switchboard.Telemetry;

namespace Switchboard.Tenancy.Ledger;

/// <summary>
/// Turns a finished request's record into its ledger row: figures and names only, never prompt text. The model name
/// is the client's own (a wildcard alias accepts any), so it is clipped like in the log: a row, its daily total and
/// the usage tables stay small whatever a client sends.
/// </summary>
public static class UsageRows
{
    public static UsageRow From(RequestRecord record, string requestId, long costMicros)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new UsageRow
        {
            Time = record.StartedAt,
            RequestId = requestId,
            KeyId = record.Caller?.KeyId ?? record.KeyId,
            FrontDoor = record.FrontDoor ?? "",
            Model = LogValue.Clip(record.Model),
            Upstream = record.Target,
            UpstreamModel = record.UpstreamModel,
            Status = record.Status,
            ErrorKind = record.ErrorKind?.ToString(),
            InputTokens = record.InputTokens ?? 0,
            CacheReadTokens = record.CacheReadTokens ?? 0,
            CacheWriteTokens = record.CacheWriteTokens ?? 0,
            OutputTokens = record.OutputTokens ?? 0,
            ReasoningTokens = record.ReasoningTokens ?? 0,
            CostMicros = costMicros,
            TimeToFirstTokenMs = record.TimeToFirstTokenMs,
            DurationMs = record.DurationMs ?? 0,
            OverheadUs = record.OverheadUs ?? 0,
            Attempts = AttemptsOf(record.AttemptLog),
        };
    }

    private static UsageAttempt[]? AttemptsOf(List<UpstreamAttempt>? log)
    {
        if (log is not { Count: > 0 })
        {
            return null;
        }

        var attempts = new UsageAttempt[log.Count];
        for (var i = 0; i < attempts.Length; i++)
        {
            var attempt = log[i];
            attempts[i] = new UsageAttempt(attempt.Upstream, attempt.Outcome, attempt.Status, attempt.DurationMs);
        }

        return attempts;
    }
}
