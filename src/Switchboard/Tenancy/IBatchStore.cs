namespace Switchboard.Tenancy;

/// <summary>A batch's processing status, as the Message Batches API names it.</summary>
public static class BatchStatus
{
    public const string InProgress = "in_progress";
    public const string Canceling = "canceling";
    public const string Ended = "ended";
}

/// <summary>The outcome of one batch request, as its result line names it; <see cref="Pending"/> until it has one.</summary>
public static class BatchRequestState
{
    public const string Pending = "pending";
    public const string Succeeded = "succeeded";
    public const string Errored = "errored";
    public const string Canceled = "canceled";
    public const string Expired = "expired";
}

/// <summary>
/// A message batch as stored: its owner, status, times, how many requests it holds and, once ended, how many ended
/// each way (until then every request counts as processing, as Anthropic reports it).
/// </summary>
public sealed record BatchRecord
{
    /// <summary>The <c>msgbatch_…</c> id.</summary>
    public required string Id { get; init; }

    /// <summary>The key that created it; null in open (keyless) mode.</summary>
    public string? KeyId { get; init; }

    public string Status { get; init; } = BatchStatus.InProgress;

    public required int RequestCount { get; init; }

    public int Succeeded { get; init; }

    public int Errored { get; init; }

    public int Canceled { get; init; }

    public int Expired { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When unfinished requests expire.</summary>
    public required DateTimeOffset EndsAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public DateTimeOffset? CancelInitiatedAt { get; init; }
}

/// <summary>One request of a batch as created: its position, <c>custom_id</c> and Messages request (JSON text).</summary>
public readonly record struct BatchRequestInput(int Index, string CustomId, string ParamsJson);

/// <summary>A request a runner claimed: it holds it until it completes, releases it, or the lease runs out.</summary>
public sealed record BatchWork(string BatchId, string? KeyId, int Index, string CustomId, string ParamsJson, int Attempts);

/// <summary>One line of a batch's results: the <c>custom_id</c>, the outcome and, for succeeded and errored, its JSON.</summary>
public readonly record struct BatchResult(string CustomId, string State, string? Json);

/// <summary>
/// Where message batches live (the tenancy store: SQLite or PostgreSQL). Requests are claimed with a lease, so
/// processes sharing the store never run one at the same time; results are written once per request. Every call may
/// throw when the store is down.
/// </summary>
public interface IBatchStore
{
    /// <summary>Stores a batch and all its requests in one transaction (the requests are read once, in order).</summary>
    Task CreateAsync(BatchRecord batch, IEnumerable<BatchRequestInput> requests, CancellationToken cancellationToken);

    /// <summary>The batch with this id, or null.</summary>
    Task<BatchRecord?> FindAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Batches of <paramref name="keyId"/> (null: keyless), newest first, at most <paramref name="limit"/>: those
    /// listed right after the batch <paramref name="afterId"/> (older ones), right before <paramref name="beforeId"/>
    /// (newer ones), or from the newest. A cursor that is not one of the key's batches gives none.
    /// </summary>
    Task<IReadOnlyList<BatchRecord>> ListAsync(string? keyId, string? beforeId, string? afterId, int limit, CancellationToken cancellationToken);

    /// <summary>Marks an in-progress batch <c>canceling</c>; returns the batch as it now is (null: none).</summary>
    Task<BatchRecord?> CancelAsync(string id, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Deletes an ended batch and its requests; false when there was none or it has not ended.</summary>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Claims up to <paramref name="max"/> pending requests of running batches (oldest batch first) whose lease has
    /// run out, holding each until <paramref name="now"/> + <paramref name="lease"/>.
    /// </summary>
    Task<IReadOnlyList<BatchWork>> ClaimAsync(int max, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>
    /// A runner starting: on a store one process uses (SQLite), requests claimed by a process that has gone run again
    /// now; on a shared store (PostgreSQL) they wait for their leases to run out, since their holder may still live.
    /// </summary>
    Task ResumeAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Extends the leases of requests still running.</summary>
    Task RenewAsync(IReadOnlyList<BatchWork> running, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>
    /// Gives a claimed request back, to run again from <paramref name="notBefore"/>; <paramref name="attempts"/> is
    /// the number of attempts it has had.
    /// </summary>
    Task ReleaseAsync(BatchWork work, DateTimeOffset notBefore, int attempts, CancellationToken cancellationToken);

    /// <summary>Records a request's outcome; a request that already has one keeps it (false).</summary>
    Task<bool> CompleteAsync(BatchWork work, string state, string? json, CancellationToken cancellationToken);

    /// <summary>
    /// Moves batches along: unclaimed requests of canceling batches become canceled, of batches past their end
    /// time expired; a batch with no pending request left ends, its counts fixed. Returns how many batches ended.
    /// </summary>
    Task<int> AdvanceAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The results of a batch, in no particular order.</summary>
    IAsyncEnumerable<BatchResult> ResultsAsync(string id, CancellationToken cancellationToken);

    /// <summary>Deletes batches that ended before <paramref name="cutoff"/> with their results; returns how many batches.</summary>
    Task<int> DeleteEndedBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);
}
