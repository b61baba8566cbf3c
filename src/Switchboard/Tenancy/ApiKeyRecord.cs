using System.IO.Enumeration;

namespace Switchboard.Tenancy;

/// <summary>
/// A stored API key: who it is for, what it may use and how much. The secret itself is never stored, only its
/// SHA-256 digest (<see cref="SecretHash"/>, lower-case hex); <see cref="Id"/> is the public part of the key
/// (<c>sk-sb-&lt;id&gt;-&lt;secret&gt;</c>) it is looked up by.
/// </summary>
public sealed record ApiKeyRecord
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string SecretHash { get; init; }

    /// <summary>Model globs (<c>qwen3*</c>) the key may use, matched after alias resolution; empty: every model.</summary>
    public IReadOnlyList<string> Models { get; init; } = [];

    public KeyLimits Limits { get; init; } = KeyLimits.None;

    public KeyBudget? Budget { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    public bool Disabled { get; init; }

    /// <summary>Free-form labels an operator attaches (team, owner, purpose).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Set once the key is revoked; a revoked key never works again but stays for the ledger's sake.</summary>
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>Whether the key may use the model (its public name, after alias resolution).</summary>
    public bool AllowsModel(string model) =>
        Models.Count == 0 || Models.Any(glob => FileSystemName.MatchesSimpleExpression(glob, model, ignoreCase: true));
}

/// <summary>Per-minute and concurrency limits of one key; null means unlimited.</summary>
public sealed record KeyLimits(int? RequestsPerMinute, long? InputTokensPerMinute, long? OutputTokensPerMinute, int? Concurrency)
{
    public static readonly KeyLimits None = new(null, null, null, null);

    public bool Any => RequestsPerMinute is not null || InputTokensPerMinute is not null || OutputTokensPerMinute is not null || Concurrency is not null;
}

/// <summary>How much a key may spend per period, in millionths of a US dollar.</summary>
public sealed record KeyBudget(long AmountMicros, BudgetPeriod Period);

/// <summary>When a budget starts again: UTC calendar boundaries, or never.</summary>
public enum BudgetPeriod
{
    Monthly,
    Daily,
    Total,
}
