namespace Switchboard.Tenancy.Keys;

/// <summary>What a presented key turned out to be.</summary>
public enum KeyStatus
{
    /// <summary>No key, or not one this check could judge.</summary>
    None,
    Valid,

    /// <summary>Unknown id, or the secret does not match: 401, "invalid".</summary>
    Unknown,
    Revoked,
    Expired,

    /// <summary>Known and valid but switched off: 403.</summary>
    Disabled,

    /// <summary>The key store could not be asked and the key is not cached: 503-class, never 401.</summary>
    Unavailable,
}

/// <summary>The result of checking one presented key: a status, and the caller when valid.</summary>
public readonly record struct KeyCheck(KeyStatus Status, KeyCaller? Caller = null, string? KeyId = null)
{
    public static KeyCheck None => default;
}
