using Switchboard.Canonical;
using Switchboard.Pipeline;
using Switchboard.Routing;

namespace Switchboard.Tenancy.Limits;

/// <summary>
/// The admit stage for stored keys, in order: the key may use the model (its public name, after alias resolution)
/// or 403; every budget gate passes; a concurrency slot is free and every per-minute bucket holds what the request
/// needs, charged in one atomic step, or 429 with the wait. The caller's standing goes on the record for the door's
/// rate-limit headers, on a refusal too. A request without a stored key, or whose key has no limits, gets the shared
/// no-op lease and costs next to nothing.
/// </summary>
public sealed class KeyLimitsAdmission(LimitCounters counters, IEnumerable<IBudgetGate> budgets, LimitMetrics metrics, TimeProvider time) : IAdmissionPolicy
{
    private static readonly ValueTask<IAdmissionLease> NoLease = ValueTask.FromResult<IAdmissionLease>(AdmitAll.NoLease.Instance);

    private readonly IBudgetGate[] _budgets = budgets.ToArray();

    public ValueTask<IAdmissionLease> AdmitAsync(MessageRequest request, ModelRoute route, RequestRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(record);
        if (record.Caller is not KeyCaller { Stored: { } key })
        {
            return NoLease;
        }

        if (!ModelPermission.Allows(record.Caller, route.Model.Name))
        {
            return RefuseAsync(key, record, NotAllowed(record.Caller, route.Model.Name), cancellationToken);
        }

        if (_budgets.Length == 0 && !key.Limits.Any)
        {
            return NoLease;
        }

        return AdmitKeyAsync(key, request, record, cancellationToken);
    }

    public async ValueTask DescribeAsync(RequestRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Caller is KeyCaller { Stored: { Limits.Any: true } key })
        {
            await DescribeAsync(key, record, cancellationToken);
        }
    }

    private async ValueTask<IAdmissionLease> AdmitKeyAsync(ApiKeyRecord key, MessageRequest request, RequestRecord record, CancellationToken cancellationToken)
    {
        foreach (var budget in _budgets)
        {
            try
            {
                await budget.CheckAsync(key, cancellationToken);
            }
            catch (ApiException refusal)
            {
                return await RefuseAsync(key, record, refusal, cancellationToken);
            }
        }

        var limits = key.Limits;
        if (!limits.Any)
        {
            return AdmitAll.NoLease.Instance;
        }

        var estimate = limits.InputTokensPerMinute is null ? 0 : TokenEstimator.Estimate(request);
        var decision = await counters.AcquireAsync(
            new CounterRequest(key.Id, limits, estimate, record.RequestId ?? Guid.NewGuid().ToString("N")), cancellationToken);
        record.RateLimits = LimitStatus.From(limits, decision.Levels, time.GetUtcNow());
        if (!decision.Admitted)
        {
            metrics.Refused(Name(decision.RefusedBy));
            throw new ApiException(LimitErrors.RateLimited(key.Id, limits, decision.RefusedBy, decision.Wait));
        }

        return new LimitedLease(decision.Ticket, estimate, time);
    }

    /// <summary>Refuses before the counters, still reporting where the key stands against its limits.</summary>
    private async ValueTask<IAdmissionLease> RefuseAsync(ApiKeyRecord key, RequestRecord record, ApiException refusal, CancellationToken cancellationToken)
    {
        await DescribeAsync(key, record, cancellationToken);
        throw refusal;
    }

    private async ValueTask DescribeAsync(ApiKeyRecord key, RequestRecord record, CancellationToken cancellationToken)
    {
        if (key.Limits.Any && await counters.PeekAsync(key.Id, key.Limits, cancellationToken) is { } levels)
        {
            record.RateLimits = LimitStatus.From(key.Limits, levels, time.GetUtcNow());
        }
    }

    /// <summary>The 403 every path words the same way (<see cref="ModelPermission"/>).</summary>
    private static ApiException NotAllowed(ICaller? caller, string model)
    {
        try
        {
            ModelPermission.Check(caller, model);
        }
        catch (ApiException refusal)
        {
            return refusal;
        }

        throw new InvalidOperationException("ModelPermission allowed what it refused");
    }

    private static string Name(LimitKind kind) => kind switch
    {
        LimitKind.Concurrency => "concurrency",
        LimitKind.Requests => "requests",
        LimitKind.InputTokens => "input_tokens",
        _ => "output_tokens",
    };
}
