namespace Switchboard.Tenancy.Limits;

/// <summary>A counter store several Switchboard processes share (Redis), which can be out of reach for a while.</summary>
public interface ISharedLimitCounterStore : ILimitCounterStore
{
    /// <summary>Whether the store is connected now; while it is not, admissions do not try it (and do not wait for it).</summary>
    bool IsAvailable { get; }

    /// <summary>Where the store is, for log lines; never with a password.</summary>
    string Location { get; }
}
