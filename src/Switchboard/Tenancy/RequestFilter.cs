namespace Switchboard.Tenancy;

/// <summary>
/// Which ledger rows a recent-requests question wants: one key, one model (the client's name), one status, or only
/// failures (a status of 400 or more other than 499, or an error the client was told of mid-stream). Null: any.
/// </summary>
public sealed record RequestFilter(string? KeyId = null, string? Model = null, int? Status = null, bool FailuresOnly = false);
