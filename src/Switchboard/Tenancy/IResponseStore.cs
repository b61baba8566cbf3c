namespace Switchboard.Tenancy;

/// <summary>
/// A response kept for the Responses API (<c>store: true</c>, the default): its response object and the input items
/// it answered, as the JSON the client saw and sent, under the key that created it. <c>previous_response_id</c>
/// continues from it, <c>GET /v1/responses/{id}</c> returns it; another key never sees it.
/// </summary>
public sealed record StoredResponse
{
    /// <summary>The <c>resp_…</c> id.</summary>
    public required string Id { get; init; }

    /// <summary>The key that created it; null in open (keyless) mode.</summary>
    public string? KeyId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The response object as written to the client (JSON text).</summary>
    public required string ResponseJson { get; init; }

    /// <summary>
    /// The input items the response answered, as a JSON array — the request's own items after the items of the
    /// response it continued from, so a chain of <c>previous_response_id</c> needs one lookup.
    /// </summary>
    public required string InputItemsJson { get; init; }
}

/// <summary>Where stored responses live (the tenancy store: SQLite or PostgreSQL). Every call may throw when the store is down.</summary>
public interface IResponseStore
{
    /// <summary>Stores a response; storing the same id again replaces it (a background response that finished).</summary>
    Task SaveAsync(StoredResponse response, CancellationToken cancellationToken);

    /// <summary>The response with this id, or null (none, deleted, or past retention).</summary>
    Task<StoredResponse?> FindAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// The newest response created by <paramref name="keyId"/> (null: keyless) holding an item with this id among
    /// its output or input items, for <c>item_reference</c>; null when there is none. A store without an item index
    /// (a test double) finds none.
    /// </summary>
    Task<StoredResponse?> FindByItemAsync(string itemId, string? keyId, CancellationToken cancellationToken) =>
        Task.FromResult<StoredResponse?>(null);

    /// <summary>Deletes it; false when there was none.</summary>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken);

    /// <summary>Deletes responses created before <paramref name="cutoff"/>; returns how many.</summary>
    Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);
}
