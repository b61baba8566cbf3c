namespace Switchboard.Tenancy.Keys;

/// <summary>
/// What to set on a key, as the command line and the admin API give it: each field left alone or set, null clearing
/// a limit, the budget or the expiry. For a new key, unset fields take their defaults. Field names in problems are
/// the admin API's (<c>rpm</c>, <c>budget_usd</c>, …); the command line maps them to its flags.
/// </summary>
public sealed record KeyChanges
{
    public Optional<string?> Name { get; init; }

    /// <summary>Model globs; empty or null: every model.</summary>
    public Optional<IReadOnlyList<string>?> Models { get; init; }

    public Optional<int?> RequestsPerMinute { get; init; }

    public Optional<long?> InputTokensPerMinute { get; init; }

    public Optional<long?> OutputTokensPerMinute { get; init; }

    public Optional<int?> Concurrency { get; init; }

    /// <summary>The budget per period in US dollars; null: no budget.</summary>
    public Optional<decimal?> BudgetUsd { get; init; }

    /// <summary>The budget's period; with a budget and none given: monthly.</summary>
    public Optional<BudgetPeriod?> BudgetPeriod { get; init; }

    public Optional<DateTimeOffset?> ExpiresAt { get; init; }

    public Optional<bool> Disabled { get; init; }

    /// <summary>Replaces every label (null or empty: none).</summary>
    public Optional<IReadOnlyDictionary<string, string>?> Labels { get; init; }

    /// <summary>Sets single labels, after <see cref="Labels"/>; an empty value removes the label.</summary>
    public IReadOnlyDictionary<string, string> LabelEdits { get; init; } = new Dictionary<string, string>();
}
