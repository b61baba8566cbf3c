namespace Switchboard.Tenancy.Keys;

/// <summary>
/// Creates, changes and revokes stored keys, for the command line and the admin API alike: validation (each
/// problem names its field), a new id and secret, and the stored digest. <paramref name="changed"/> hears of every
/// change (the server invalidates its key cache with it).
/// </summary>
public sealed class KeyManager(IKeyStore store, TimeProvider time, Action<string>? changed = null)
{
    public const int MaxNameLength = 200;

    public const int MaxLabels = 64;

    public const int MaxModels = 256;

    /// <summary>Creates a key; returns its record and the key itself, which is never available again.</summary>
    public async Task<(ApiKeyRecord Record, string Key)> CreateAsync(KeyChanges spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Name.Value is not { } name || string.IsNullOrWhiteSpace(name))
        {
            throw new KeyProblemException("name", "a key needs a name (who or what it is for)");
        }

        var (id, key) = ApiKeyFormat.Generate();
        var empty = new ApiKeyRecord { Id = id, Name = name, SecretHash = KeyDigest.Hex(key), CreatedAt = Now() };
        var record = Apply(empty, spec with { Disabled = spec.Disabled.Or(false) });
        await store.CreateAsync(record, cancellationToken).ConfigureAwait(false);
        changed?.Invoke(id);
        return (record, key);
    }

    /// <summary>Changes a key; null when there is no such key. A revoked key cannot be changed.</summary>
    public async Task<ApiKeyRecord?> UpdateAsync(string id, KeyChanges changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (await FindAsync(id, cancellationToken).ConfigureAwait(false) is not { } current)
        {
            return null;
        }

        if (current.RevokedAt is not null)
        {
            throw new KeyProblemException(null, $"key {id} is revoked; a revoked key cannot be changed (create a new one)");
        }

        var updated = Apply(current, changes);
        if (!await store.UpdateAsync(updated, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        changed?.Invoke(id);
        return updated;
    }

    /// <summary>Revokes a key for good (revoking it again changes nothing); null when there is no such key.</summary>
    public async Task<ApiKeyRecord?> RevokeAsync(string id, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, cancellationToken).ConfigureAwait(false) is not { } current)
        {
            return null;
        }

        if (current.RevokedAt is not null)
        {
            return current;
        }

        var revoked = current with { RevokedAt = Now() };
        if (!await store.UpdateAsync(revoked, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        changed?.Invoke(id);
        return revoked;
    }

    /// <summary>The key with this id, or null (also for a malformed id, which no key has).</summary>
    public Task<ApiKeyRecord?> FindAsync(string id, CancellationToken cancellationToken) =>
        ApiKeyFormat.IsId(id) ? store.FindAsync(id, cancellationToken) : Task.FromResult<ApiKeyRecord?>(null);

    public Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken) => store.ListAsync(cancellationToken);

    /// <summary>The key's state now: <c>active</c>, <c>disabled</c>, <c>expired</c> or <c>revoked</c>.</summary>
    public static string Status(ApiKeyRecord key, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.RevokedAt is not null ? "revoked"
            : key.ExpiresAt is { } expires && expires <= now ? "expired"
            : key.Disabled ? "disabled"
            : "active";
    }

    private DateTimeOffset Now()
    {
        // Whole milliseconds: what the store keeps, so a created key reads back equal.
        var now = time.GetUtcNow();
        return DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds());
    }

    private ApiKeyRecord Apply(ApiKeyRecord key, KeyChanges changes)
    {
        var name = changes.Name.IsSet ? changes.Name.Value?.Trim() : key.Name;
        if (string.IsNullOrEmpty(name))
        {
            throw new KeyProblemException("name", "must not be empty");
        }

        if (name.Length > MaxNameLength || name.Any(char.IsControl))
        {
            throw new KeyProblemException("name", $"must be at most {MaxNameLength} characters, with no control characters");
        }

        var models = changes.Models.IsSet ? Models(changes.Models.Value) : key.Models;
        var limits = new KeyLimits(
            Positive("rpm", changes.RequestsPerMinute.Or(key.Limits.RequestsPerMinute)),
            Positive("input_tpm", changes.InputTokensPerMinute.Or(key.Limits.InputTokensPerMinute)),
            Positive("output_tpm", changes.OutputTokensPerMinute.Or(key.Limits.OutputTokensPerMinute)),
            Positive("concurrency", changes.Concurrency.Or(key.Limits.Concurrency)));
        var expires = changes.ExpiresAt.Or(key.ExpiresAt);
        if (changes.ExpiresAt.IsSet && expires is { } at && at <= time.GetUtcNow())
        {
            throw new KeyProblemException("expires_at", $"{at:yyyy-MM-dd'T'HH:mm:ss'Z'} is not in the future (to stop a key now, revoke or disable it)");
        }

        return key with
        {
            Name = name,
            Models = models,
            Limits = limits,
            Budget = Budget(key.Budget, changes),
            ExpiresAt = expires is { } e ? DateTimeOffset.FromUnixTimeMilliseconds(e.ToUnixTimeMilliseconds()) : null,
            Disabled = changes.Disabled.Or(key.Disabled),
            Labels = Labels(key.Labels, changes),
        };
    }

    private static IReadOnlyList<string> Models(IReadOnlyList<string>? globs)
    {
        var models = (globs ?? []).Select(g => g.Trim()).ToList();
        if (models.Any(g => g.Length == 0 || g.Any(char.IsControl)))
        {
            throw new KeyProblemException("models", "a model name or glob must not be empty (leave the list empty to allow every model)");
        }

        if (models.Count > MaxModels)
        {
            throw new KeyProblemException("models", $"at most {MaxModels} entries");
        }

        // "*" alone is every model, which an empty list already says.
        return models is ["*"] ? [] : models.Distinct(StringComparer.Ordinal).ToList();
    }

    private static KeyBudget? Budget(KeyBudget? current, KeyChanges changes)
    {
        var period = changes.BudgetPeriod.IsSet ? changes.BudgetPeriod.Value : current?.Period;
        if (!changes.BudgetUsd.IsSet)
        {
            if (changes.BudgetPeriod.IsSet && current is null && changes.BudgetPeriod.Value is not null)
            {
                throw new KeyProblemException("budget_period", "needs a budget (budget_usd) to apply to");
            }

            return current is null ? null : current with { Period = period ?? BudgetPeriod.Monthly };
        }

        if (changes.BudgetUsd.Value is not { } usd)
        {
            return null;
        }

        if (usd <= 0 || usd > 1_000_000_000m)
        {
            throw new KeyProblemException("budget_usd", "must be a positive amount of US dollars (at most 1000000000)");
        }

        var micros = decimal.Round(usd * 1_000_000m, MidpointRounding.AwayFromZero);
        if (micros < 1)
        {
            throw new KeyProblemException("budget_usd", "must be at least 0.000001 US dollars");
        }

        return new KeyBudget((long)micros, period ?? BudgetPeriod.Monthly);
    }

    private static IReadOnlyDictionary<string, string> Labels(IReadOnlyDictionary<string, string> current, KeyChanges changes)
    {
        var labels = new SortedDictionary<string, string>(changes.Labels.IsSet
            ? (IDictionary<string, string>)new Dictionary<string, string>(changes.Labels.Value ?? new Dictionary<string, string>(), StringComparer.Ordinal)
            : new Dictionary<string, string>(current, StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var (name, value) in changes.LabelEdits)
        {
            if (value.Length == 0)
            {
                labels.Remove(name);
            }
            else
            {
                labels[name] = value;
            }
        }

        foreach (var (name, value) in labels)
        {
            if (name.Trim().Length == 0 || name.Length > 100 || value.Length > 1000 || name.Any(char.IsControl) || value.Any(char.IsControl))
            {
                throw new KeyProblemException("labels", "a label needs a name of 1-100 characters and a value of at most 1000, with no control characters");
            }
        }

        if (labels.Count > MaxLabels)
        {
            throw new KeyProblemException("labels", $"at most {MaxLabels} labels");
        }

        return new Dictionary<string, string>(labels, StringComparer.Ordinal);
    }

    private static T? Positive<T>(string field, T? value)
        where T : struct, System.Numerics.INumber<T>
    {
        if (value is { } number && number <= T.Zero)
        {
            throw new KeyProblemException(field, "must be a positive whole number (or none for no limit)");
        }

        return value;
    }
}
