using System.Diagnostics;
using Switchboard.Pipeline;

namespace Switchboard.Telemetry;

/// <summary>
/// Tags the current request span from the finished <see cref="RequestRecord"/>: door, model (as asked, and as sent
/// upstream), key id (the public part only), upstream, token counts, first-token time, overhead, status and error.
/// Never prompt text or keys. Does nothing when no span is being recorded.
/// </summary>
public sealed class RequestSpanSettlement(ModelLabels models) : IRequestSettlement
{
    public void Settle(RequestRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (Activity.Current is not { IsAllDataRequested: true } span
            || !ReferenceEquals(span.Source, SwitchboardTracing.Source) || span.OperationName != SwitchboardTracing.RequestSpan)
        {
            return;
        }

        var operation = record.TokenCountOnly ? TelemetryNames.CountTokens : TelemetryNames.Chat;
        span.DisplayName = record.Model is null ? operation : $"{operation} {models.For(record.Model)}";
        span.SetTag(TelemetryNames.OperationName, operation);
        span.SetTag(TelemetryNames.RequestId, record.RequestId);
        span.SetTag(TelemetryNames.Door, record.FrontDoor);
        span.SetTag(TelemetryNames.RequestModel, LogValue.Clip(record.Model));
        span.SetTag(TelemetryNames.ResponseModel, record.UpstreamModel);
        span.SetTag(TelemetryNames.KeyId, record.KeyId);
        span.SetTag(TelemetryNames.Upstream, record.Target);
        span.SetTag(TelemetryNames.InputTokens, record.TotalInputTokens);
        span.SetTag(TelemetryNames.CacheReadTokens, record.CacheReadTokens);
        span.SetTag(TelemetryNames.CacheWriteTokens, record.CacheWriteTokens);
        span.SetTag(TelemetryNames.OutputTokens, record.OutputTokens);
        span.SetTag(TelemetryNames.TimeToFirstTokenMs, record.TimeToFirstTokenMs);
        span.SetTag(TelemetryNames.OverheadUs, record.OverheadUs);
        span.SetTag(TelemetryNames.StatusCode, record.Status);
        var error = record.ErrorKind is { } kind ? ErrorLabels.For(kind) : record.Status == 499 ? ErrorLabels.ClientClosed : null;
        if (error is not null)
        {
            span.SetTag(TelemetryNames.ErrorType, error);
            span.SetStatus(ActivityStatusCode.Error);
        }
    }
}
