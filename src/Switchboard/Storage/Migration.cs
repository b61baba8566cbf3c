namespace Switchboard.Storage;

/// <summary>
/// One forward-only schema step: portable SQL (BIGINT unix-millisecond timestamps, TEXT, BIGINT 0/1 flags, JSON as
/// TEXT) run in one transaction, recorded in <c>schema_version</c>. Released migrations are never edited; a change
/// is a new one.
/// </summary>
public sealed record Migration(int Version, string Name, string Sql);
