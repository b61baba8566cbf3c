namespace Switchboard.Tenancy.Limits;

/// <summary>The per-key limits the admit stage enforces, in the order it checks them after budgets.</summary>
public enum LimitKind
{
    None,
    Concurrency,
    Requests,
    InputTokens,
    OutputTokens,
}
