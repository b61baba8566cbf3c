using System.Globalization;
using Switchboard.Canonical;
using Switchboard.Configuration;
using Switchboard.Telemetry;

namespace Switchboard.Tenancy.Budgets;

/// <summary>
/// Refuses a key whose budget for the current window is spent: 429 of kind <see cref="ApiErrorKind.Billing"/>
/// (Anthropic <c>billing_error</c> with <c>x-should-retry: false</c>, OpenAI <c>insufficient_quota</c>) with the
/// seconds until the window resets as retry-after, none for a <see cref="BudgetPeriod.Total"/> budget. Spend is
/// checked against what has been settled; requests in flight are not reserved, so the overshoot is bounded by the
/// key's concurrency (see docs/TENANCY.md). When the spend cannot be read within <see cref="ReadTimeout"/> the
/// request is admitted with a warning, or refused with "spend limit unavailable" under <c>Storage:FailClosed</c>.
/// </summary>
public sealed partial class BudgetGate(ISpendCounter counter, SwitchboardOptions options, TimeProvider time, ILogger<BudgetGate> logger) : IBudgetGate
{
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(2);

    private readonly bool _failClosed = options.Storage.FailClosed;
    private readonly LogThrottle _warnings = new(time, TimeSpan.FromSeconds(30));

    public ValueTask CheckAsync(ApiKeyRecord key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Budget is not { } budget)
        {
            return ValueTask.CompletedTask;
        }

        var now = time.GetUtcNow();
        var window = BudgetWindow.For(budget.Period, now);
        ValueTask<long> spent;
        try
        {
            spent = counter.SpentAsync(key.Id, window, cancellationToken);
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            Unavailable(key.Id, failure);
            return ValueTask.CompletedTask;
        }

        // The usual case: the spend is known in process and the check costs no wait at all.
        if (spent.IsCompletedSuccessfully)
        {
            Judge(key.Id, budget, window, spent.Result, now);
            return ValueTask.CompletedTask;
        }

        return CheckSlowAsync(key.Id, budget, window, spent, now, cancellationToken);
    }

    private async ValueTask CheckSlowAsync(string keyId, KeyBudget budget, BudgetWindow window, ValueTask<long> pending, DateTimeOffset now, CancellationToken cancellationToken)
    {
        long spent;
        try
        {
            spent = await pending.AsTask().WaitAsync(ReadTimeout, time, cancellationToken);
        }
        catch (Exception failure) when (!cancellationToken.IsCancellationRequested)
        {
            Unavailable(keyId, failure);
            return;
        }

        Judge(keyId, budget, window, spent, now);
    }

    private static void Judge(string keyId, KeyBudget budget, BudgetWindow window, long spent, DateTimeOffset now)
    {
        if (spent < budget.AmountMicros)
        {
            return;
        }

        var period = budget.Period.ToString().ToLowerInvariant();
        var message = window.End is { } end
            ? $"The budget of {Dollars(budget.AmountMicros)} ({period}) of API key {keyId} is spent; it resets {end.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC"
            : $"The budget of {Dollars(budget.AmountMicros)} (total) of API key {keyId} is spent; it does not reset";
        throw new ApiException(new ApiError(ApiErrorKind.Billing, message) { RetryAfterSeconds = window.SecondsToReset(now) });
    }

    private void Unavailable(string keyId, Exception failure)
    {
        if (_warnings.TryEnter(out var suppressed))
        {
            LogUnavailable(logger, failure, keyId, _failClosed ? "refused (Storage:FailClosed)" : "admitted", suppressed);
        }

        if (_failClosed)
        {
            throw new ApiException(ApiErrorKind.Billing, "spend limit unavailable: the budget of this API key cannot be checked right now");
        }
    }

    /// <summary>Micro-USD as dollars: <c>$25.00</c>, <c>$0.0125</c>; never fewer than two decimals.</summary>
    internal static string Dollars(long micros) =>
        "$" + (micros / 1_000_000m).ToString("#,0.00####", CultureInfo.InvariantCulture);

    [LoggerMessage(EventId = 401, Level = LogLevel.Warning,
        Message = "The spend of key {KeyId} could not be read, so its budget was not checked; the request was {Outcome} ({Suppressed} similar failures not logged)")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, string keyId, string outcome, long suppressed);
}
