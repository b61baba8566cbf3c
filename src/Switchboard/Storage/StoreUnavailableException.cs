namespace Switchboard.Storage;

/// <summary>
/// The store could not be opened or migrated: one plain sentence naming the database (never a password) and the
/// cause, fit to print at start-up instead of a stack trace.
/// </summary>
public sealed class StoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
