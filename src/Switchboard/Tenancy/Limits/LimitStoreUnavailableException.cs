namespace Switchboard.Tenancy.Limits;

/// <summary>The shared counter store could not be reached; the admit stage falls back to per-process counters or refuses.</summary>
public sealed class LimitStoreUnavailableException : Exception
{
    public LimitStoreUnavailableException()
        : base("The shared rate-limit store is unavailable")
    {
    }

    public LimitStoreUnavailableException(string message)
        : base(message)
    {
    }

    public LimitStoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
