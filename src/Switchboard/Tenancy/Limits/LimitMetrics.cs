using System.Diagnostics.Metrics;

namespace Switchboard.Tenancy.Limits;

/// <summary>
/// Counters of the admit stage (meter <c>Switchboard</c>): <c>switchboard.limits.refused</c> (tagged
/// <c>switchboard.limit</c>: requests, input_tokens, output_tokens, concurrency, store_unavailable) and
/// <c>switchboard.limits.store_fallbacks</c>, admissions decided by per-process counters because the shared store
/// was unreachable.
/// </summary>
public sealed class LimitMetrics
{
    public const string MeterName = "Switchboard";

    private readonly Counter<long> _refused;
    private readonly Counter<long> _fallbacks;

    public LimitMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _refused = meter.CreateCounter<long>("switchboard.limits.refused", description: "Requests refused by a per-key limit");
        _fallbacks = meter.CreateCounter<long>(
            "switchboard.limits.store_fallbacks", description: "Admissions decided by per-process counters while the shared limit store was unreachable");
    }

    public void Refused(string limit) => _refused.Add(1, new KeyValuePair<string, object?>("switchboard.limit", limit));

    public void FellBack() => _fallbacks.Add(1);
}
