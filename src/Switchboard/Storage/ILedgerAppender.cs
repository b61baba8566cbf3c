using System.Data.Common;
using Switchboard.Tenancy;

namespace Switchboard.Storage;

/// <summary>Inserts one batch of ledger rows and their daily totals inside the caller's transaction.</summary>
internal interface ILedgerAppender
{
    Task AppendAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<UsageRow> rows, CancellationToken cancellationToken);
}
