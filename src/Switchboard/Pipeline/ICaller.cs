namespace Switchboard.Pipeline;

/// <summary>
/// The authenticated caller a request is admitted, limited and settled for. Tenancy supplies it (a stored key, a
/// key from configuration); the pipeline only carries it on the <see cref="RequestRecord"/>.
/// </summary>
public interface ICaller
{
    /// <summary>The key's id as logs and the ledger name it; never the key itself.</summary>
    string KeyId { get; }

    /// <summary>
    /// Throws <c>ApiException</c> (403 <c>permission_error</c>) when the caller may not use <paramref name="model"/>,
    /// the public model name after alias resolution. Checked where every request is routed, count_tokens included.
    /// </summary>
    void EnsureMayUse(string model)
    {
    }
}
