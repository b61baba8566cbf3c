namespace Switchboard.Tenancy;

/// <summary>
/// Refuses a key whose budget for the current period is spent (throws an <c>ApiException</c> of kind
/// <c>Billing</c>, with the seconds until the period resets as its retry-after). Part of the admit stage.
/// </summary>
public interface IBudgetGate
{
    ValueTask CheckAsync(ApiKeyRecord key, CancellationToken cancellationToken);
}
