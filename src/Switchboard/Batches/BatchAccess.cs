using Switchboard.Configuration;
using Switchboard.Tenancy;

namespace Switchboard.Batches;

/// <summary>
/// Batches as one caller may see them: only those its key created (keyless callers in open mode: those created
/// without a key), and none past <c>Batches:ResultRetentionDays</c> after it ended, even before the sweep deleted it.
/// Another key's batch is answered exactly like an unknown one.
/// </summary>
public sealed class BatchAccess(IBatchStore store, SwitchboardOptions options, TimeProvider time)
{
    private readonly int _days = options.Batches.ResultRetentionDays;

    public async Task<BatchRecord?> FindAsync(string id, string? keyId, CancellationToken cancellationToken)
    {
        var found = await store.FindAsync(id, cancellationToken);
        return found is not null && Visible(found, keyId) ? found : null;
    }

    public bool IsCurrent(BatchRecord batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return _days <= 0 || batch.EndedAt is not { } ended || ended >= time.GetUtcNow() - TimeSpan.FromDays(_days);
    }

    private bool Visible(BatchRecord batch, string? keyId) => string.Equals(batch.KeyId, keyId, StringComparison.Ordinal) && IsCurrent(batch);
}
