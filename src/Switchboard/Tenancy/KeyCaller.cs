using Switchboard.Pipeline;

namespace Switchboard.Tenancy;

/// <summary>
/// A caller identified by its key: a stored key with its limits, budget and allowed models, or a key from
/// configuration (<see cref="Stored"/> null), which is unlimited.
/// </summary>
public sealed class KeyCaller(string keyId, ApiKeyRecord? stored) : ICaller
{
    public string KeyId { get; } = keyId;

    public ApiKeyRecord? Stored { get; } = stored;

    public void EnsureMayUse(string model) => ModelPermission.Check(this, model);
}
