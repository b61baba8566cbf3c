using Switchboard.Configuration;

namespace Switchboard.Tenancy.Responses;

/// <summary>
/// Stored responses as one caller may see them: only those its key created (keyless callers in open mode: only
/// those stored without a key), and none past <see cref="StorageOptions.ResponseRetentionDays"/> even before the
/// hourly sweep has deleted them. Another key's response is indistinguishable from an unknown one. Store failures
/// pass through (the caller answers "retry").
/// </summary>
public sealed class ResponseAccess(IResponseStore store, SwitchboardOptions options, TimeProvider time)
{
    private readonly int _days = options.Storage.ResponseRetentionDays;

    /// <summary>The response with this id if <paramref name="keyId"/> may see it; null otherwise.</summary>
    public async Task<StoredResponse?> FindAsync(string id, string? keyId, CancellationToken cancellationToken)
    {
        var found = await store.FindAsync(id, cancellationToken);
        return found is not null && Visible(found, keyId) ? found : null;
    }

    /// <summary>The newest response of <paramref name="keyId"/> holding an item with this id; null when none.</summary>
    public async Task<StoredResponse?> FindByItemAsync(string itemId, string? keyId, CancellationToken cancellationToken)
    {
        var found = await store.FindByItemAsync(itemId, keyId, cancellationToken);
        return found is not null && Visible(found, keyId) ? found : null;
    }

    /// <summary>Deletes the response if <paramref name="keyId"/> may see it; false when it may not or there is none.</summary>
    public async Task<bool> DeleteAsync(string id, string? keyId, CancellationToken cancellationToken) =>
        await FindAsync(id, keyId, cancellationToken) is not null && await store.DeleteAsync(id, cancellationToken);

    /// <summary>Stores a response under the caller's key.</summary>
    public Task SaveAsync(StoredResponse response, CancellationToken cancellationToken) => store.SaveAsync(response, cancellationToken);

    /// <summary>Whether a response is within retention (always, when responses are kept for ever).</summary>
    public bool IsCurrent(StoredResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return _days <= 0 || response.CreatedAt >= time.GetUtcNow() - TimeSpan.FromDays(_days);
    }

    private bool Visible(StoredResponse response, string? keyId) =>
        string.Equals(response.KeyId, keyId, StringComparison.Ordinal) && IsCurrent(response);
}
