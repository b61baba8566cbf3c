using System.Diagnostics;
using System.Diagnostics.Metrics;
using Switchboard.Canonical;
using Switchboard.Pipeline;

namespace Switchboard.Telemetry;

/// <summary>
/// The per-request instruments on the <c>Switchboard</c> meter, recorded once from the finished
/// <see cref="RequestRecord"/> at settlement, so nothing runs on the request path before the answer is out. GenAI
/// semantic conventions where they exist (<c>gen_ai.client.token.usage</c>, <c>gen_ai.server.request.duration</c>,
/// <c>gen_ai.server.time_to_first_token</c>, <c>gen_ai.server.time_per_output_token</c>), Switchboard's own for the
/// rest. Every label is bounded: the door, the configured model (<see cref="ModelLabels"/>), the configured upstream,
/// the status and the error kind; never a request id, key or raw model name.
/// </summary>
public sealed class RequestMetrics : IRequestSettlement
{
    public const string Requests = "switchboard.requests";
    public const string Tokens = "switchboard.tokens";
    public const string BudgetRefused = "switchboard.budget.refused";
    public const string TokenUsage = "gen_ai.client.token.usage";
    public const string Duration = "gen_ai.server.request.duration";
    public const string TimeToFirstToken = "gen_ai.server.time_to_first_token";
    public const string TimePerOutputToken = "gen_ai.server.time_per_output_token";

    // Bucket boundaries advised by the GenAI semantic conventions.
    private static readonly long[] TokenBuckets = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];
    private static readonly double[] DurationBuckets = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
    private static readonly double[] FirstTokenBuckets = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0];
    private static readonly double[] PerTokenBuckets = [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5];

    /// <summary>Statuses boxed once, so tagging one allocates nothing.</summary>
    private static readonly object[] StatusValues = [.. Enumerable.Range(0, 600).Select(s => (object)s)];

    private readonly ModelLabels _models;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _tokens;
    private readonly Counter<long> _budgetRefused;
    private readonly Histogram<long> _tokenUsage;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _timeToFirstToken;
    private readonly Histogram<double> _timePerOutputToken;

    public RequestMetrics(IMeterFactory meters, ModelLabels models)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _models = models ?? throw new ArgumentNullException(nameof(models));
        var meter = meters.Create(OverheadMetrics.MeterName);
        _requests = meter.CreateCounter<long>(Requests, "{request}", "Requests that reached a front door, by door, model, upstream, status and error");
        _tokens = meter.CreateCounter<long>(Tokens, "{token}",
            "Tokens by the usage ledger's kinds: input (not cached), cache_read, cache_write, output");
        _budgetRefused = meter.CreateCounter<long>(BudgetRefused, "{request}", "Requests refused because the key's budget is spent");
        _tokenUsage = meter.CreateHistogram(TokenUsage, "{token}", "Tokens per request: input (all, cached included) and output",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = TokenBuckets });
        _duration = meter.CreateHistogram(Duration, "s", "Time from request start to the end of the answer",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _timeToFirstToken = meter.CreateHistogram(TimeToFirstToken, "s", "Time from request start to the first content of a streamed answer",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = FirstTokenBuckets });
        _timePerOutputToken = meter.CreateHistogram(TimePerOutputToken, "s", "Time per output token after the first, for streamed answers that succeeded",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = PerTokenBuckets });
    }

    public void Settle(RequestRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.FrontDoor is not { } door)
        {
            // Never reached a door (key check, unknown path): counted by switchboard.ledger.unrecorded, not here.
            return;
        }

        var model = _models.For(record.Model);
        var upstream = record.Target ?? TelemetryNames.None;
        var operation = record.TokenCountOnly ? TelemetryNames.CountTokens : TelemetryNames.Chat;
        var error = record.ErrorKind is { } kind ? ErrorLabels.For(kind) : record.Status == 499 ? ErrorLabels.ClientClosed : null;

        var tags = new TagList
        {
            { TelemetryNames.OperationName, operation },
            { TelemetryNames.Door, door },
            { TelemetryNames.RequestModel, model },
            { TelemetryNames.Upstream, upstream },
        };

        var withStatus = tags;
        withStatus.Add(TelemetryNames.StatusCode, (uint)record.Status < StatusValues.Length ? StatusValues[record.Status] : record.Status);
        if (error is not null)
        {
            withStatus.Add(TelemetryNames.ErrorType, error);
        }

        _requests.Add(1, in withStatus);
        if (record.ErrorKind == ApiErrorKind.Billing && record.Admission is null)
        {
            // Refused at admission (no lease was handed out), not a 402 passed on from an upstream.
            _budgetRefused.Add(1, in tags);
        }

        if (record.TokenCountOnly)
        {
            return;
        }

        RecordTokens(record, tags);
        RecordTimes(record, tags, error);
    }

    private void RecordTokens(RequestRecord record, TagList tags)
    {
        AddTokens(tags, "input", record.InputTokens);
        AddTokens(tags, "cache_read", record.CacheReadTokens);
        AddTokens(tags, "cache_write", record.CacheWriteTokens);
        AddTokens(tags, "output", record.OutputTokens);

        if (record.TotalInputTokens is { } input)
        {
            var usage = tags;
            usage.Add(TelemetryNames.TokenType, "input");
            _tokenUsage.Record(input, in usage);
        }

        if (record.OutputTokens is { } output)
        {
            var usage = tags;
            usage.Add(TelemetryNames.TokenType, "output");
            _tokenUsage.Record(output, in usage);
        }
    }

    private void AddTokens(TagList tags, string type, int? count)
    {
        if (count is > 0)
        {
            tags.Add(TelemetryNames.SwitchboardTokenType, type);
            _tokens.Add(count.Value, in tags);
        }
    }

    private void RecordTimes(RequestRecord record, TagList tags, string? error)
    {
        if (record.DurationMs is not { } durationMs)
        {
            return;
        }

        var duration = tags;
        if (error is not null)
        {
            duration.Add(TelemetryNames.ErrorType, error);
        }

        _duration.Record(durationMs / 1000, in duration);
        if (error is not null || record.TimeToFirstTokenMs is not { } firstMs)
        {
            return;
        }

        _timeToFirstToken.Record(firstMs / 1000, in tags);
        if (record.OutputTokens is { } output && output > 1 && durationMs > firstMs)
        {
            _timePerOutputToken.Record((durationMs - firstMs) / 1000 / (output - 1), in tags);
        }
    }
}
