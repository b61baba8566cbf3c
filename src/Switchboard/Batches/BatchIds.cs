using Switchboard.Canonical;

namespace Switchboard.Batches;

/// <summary>Batch ids (<c>msgbatch_…</c>) and the request id each batch request runs under.</summary>
public static class BatchIds
{
    public const string Prefix = "msgbatch_";

    public static string NewBatchId() => Ids.New(Prefix);

    /// <summary>
    /// The request id of one attempt of a batch request, which its log line and ledger row carry:
    /// <c>&lt;batch id&gt;/&lt;custom_id&gt;</c>, and <c>/&lt;attempt&gt;</c> from the second attempt on. The ledger is
    /// idempotent per request id, so an attempt run twice (a process that died) is charged once.
    /// </summary>
    public static string RequestId(string batchId, string customId, int attempt) =>
        attempt <= 1 ? $"{batchId}/{customId}" : $"{batchId}/{customId}/{attempt}";
}
