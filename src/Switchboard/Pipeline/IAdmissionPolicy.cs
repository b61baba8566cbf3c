using Switchboard.Canonical;
using Switchboard.Routing;

namespace Switchboard.Pipeline;

/// <summary>
/// The admit stage: decides, after routing and before anything is sent upstream, whether a request may go on.
/// Where per-key limits, budgets and concurrency caps plug in; a refusal throws <see cref="ApiException"/>
/// (say <see cref="ApiErrorKind.RateLimit"/>), which the front door answers in its dialect.
/// </summary>
public interface IAdmissionPolicy
{
    ValueTask AdmitAsync(MessageRequest request, ModelRoute route, RequestRecord record, CancellationToken cancellationToken);
}

/// <summary>Admits every request: no limits are configured yet.</summary>
public sealed class AdmitAll : IAdmissionPolicy
{
    public ValueTask AdmitAsync(MessageRequest request, ModelRoute route, RequestRecord record, CancellationToken cancellationToken) =>
        ValueTask.CompletedTask;
}
