using Dapper;
using Switchboard.Storage;
using Switchboard.Tenancy;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Storage;

public abstract class BatchStoreTests(StoreDialect dialect) : StoreTestBase(dialect)
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    private SqlBatchStore Batches => new(Store.Connections);

    private static BatchRecord Batch(string id, int count, DateTimeOffset created, string? keyId = "key-a") => new()
    {
        Id = id,
        KeyId = keyId,
        RequestCount = count,
        CreatedAt = created,
        EndsAt = created.AddHours(24),
    };

    private static IEnumerable<BatchRequestInput> Requests(int count) =>
        Enumerable.Range(0, count).Select(i => new BatchRequestInput(i, $"req-{i}", $$"""{"model":"m","max_tokens":{{i + 1}},"messages":[{"role":"user","content":"hé {{i}}"}]}"""));

    private async Task<BatchRecord> CreateAsync(string id, int count, DateTimeOffset created, string? keyId = "key-a")
    {
        var batch = Batch(id, count, created, keyId);
        await Batches.CreateAsync(batch, Requests(count), CancellationToken.None);
        return batch;
    }

    [Fact]
    public async Task A_created_batch_is_found_in_progress_with_every_request_pending_in_order()
    {
        // More rows than one INSERT statement holds.
        var batch = await CreateAsync("msgbatch_1", 450, T0.AddMilliseconds(7));

        var found = await Batches.FindAsync("msgbatch_1", CancellationToken.None);
        Assert.Equal(batch, found);
        Assert.Equal(BatchStatus.InProgress, found!.Status);
        Assert.Null(await Batches.FindAsync("msgbatch_2", CancellationToken.None));

        var claimed = await Batches.ClaimAsync(1000, T0, Lease, CancellationToken.None);
        Assert.Equal(Enumerable.Range(0, 450), claimed.Select(w => w.Index));
        Assert.Equal("req-449", claimed[^1].CustomId);
        Assert.Equal("key-a", claimed[0].KeyId);
        Assert.Equal("""{"model":"m","max_tokens":3,"messages":[{"role":"user","content":"hé 2"}]}""", claimed[2].ParamsJson);
    }

    [Fact]
    public async Task A_claimed_request_is_not_claimed_again_until_its_lease_runs_out_and_renewing_extends_it()
    {
        await CreateAsync("msgbatch_1", 3, T0);

        var first = await Batches.ClaimAsync(2, T0, Lease, CancellationToken.None);
        Assert.Equal([0, 1], first.Select(w => w.Index));
        var second = await Batches.ClaimAsync(5, T0.AddSeconds(1), Lease, CancellationToken.None);
        Assert.Equal([2], second.Select(w => w.Index));
        Assert.Empty(await Batches.ClaimAsync(5, T0.AddSeconds(59), Lease, CancellationToken.None));

        await Batches.RenewAsync([first[0]], T0.AddSeconds(120), CancellationToken.None);
        var afterLease = await Batches.ClaimAsync(5, T0.AddSeconds(61), Lease, CancellationToken.None);
        Assert.Equal([1, 2], afterLease.Select(w => w.Index));
    }

    [Fact]
    public async Task Claimers_at_the_same_time_never_get_the_same_request()
    {
        await CreateAsync("msgbatch_1", 60, T0);

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Batches.ClaimAsync(10, T0, Lease, CancellationToken.None))));
        var indices = claims.SelectMany(c => c).Select(w => w.Index).ToList();
        Assert.Equal(indices.Count, indices.Distinct().Count());
        Assert.True(indices.Count >= 50, $"claimed {indices.Count}");
    }

    [Fact]
    public async Task An_outcome_is_written_once_and_a_released_request_runs_again_with_its_attempts()
    {
        await CreateAsync("msgbatch_1", 2, T0);
        var work = await Batches.ClaimAsync(2, T0, Lease, CancellationToken.None);

        Assert.True(await Batches.CompleteAsync(work[0], BatchRequestState.Succeeded, """{"id":"msg_1"}""", CancellationToken.None));
        Assert.False(await Batches.CompleteAsync(work[0], BatchRequestState.Errored, """{"type":"error"}""", CancellationToken.None));

        await Batches.ReleaseAsync(work[1], T0.AddSeconds(4), attempts: 1, CancellationToken.None);
        Assert.Empty(await Batches.ClaimAsync(2, T0.AddSeconds(3), Lease, CancellationToken.None));
        var again = Assert.Single(await Batches.ClaimAsync(2, T0.AddSeconds(4), Lease, CancellationToken.None));
        Assert.Equal((1, 1), (again.Index, again.Attempts));
    }

    [Fact]
    public async Task A_batch_ends_when_no_request_is_pending_with_its_counts_fixed_and_its_results_readable()
    {
        await CreateAsync("msgbatch_1", 3, T0);
        var work = await Batches.ClaimAsync(3, T0, Lease, CancellationToken.None);
        await Batches.CompleteAsync(work[0], BatchRequestState.Succeeded, """{"id":"msg_1"}""", CancellationToken.None);
        await Batches.CompleteAsync(work[1], BatchRequestState.Errored, """{"type":"error"}""", CancellationToken.None);

        Assert.Equal(0, await Batches.AdvanceAsync(T0.AddSeconds(1), CancellationToken.None));
        Assert.Equal(BatchStatus.InProgress, (await Batches.FindAsync("msgbatch_1", CancellationToken.None))!.Status);

        await Batches.CompleteAsync(work[2], BatchRequestState.Succeeded, """{"id":"msg_3"}""", CancellationToken.None);
        Assert.Equal(1, await Batches.AdvanceAsync(T0.AddSeconds(2), CancellationToken.None));
        var ended = (await Batches.FindAsync("msgbatch_1", CancellationToken.None))!;
        Assert.Equal((BatchStatus.Ended, 2, 1, 0, 0, T0.AddSeconds(2)), (ended.Status, ended.Succeeded, ended.Errored, ended.Canceled, ended.Expired, ended.EndedAt));
        Assert.Equal(0, await Batches.AdvanceAsync(T0.AddSeconds(3), CancellationToken.None));

        var results = new List<BatchResult>();
        await foreach (var result in Batches.ResultsAsync("msgbatch_1", CancellationToken.None))
        {
            results.Add(result);
        }

        Assert.Equal(
            [new("req-0", BatchRequestState.Succeeded, """{"id":"msg_1"}"""), new("req-1", BatchRequestState.Errored, """{"type":"error"}"""), new("req-2", BatchRequestState.Succeeded, """{"id":"msg_3"}""")],
            results);
    }

    [Fact]
    public async Task Cancel_marks_the_batch_canceling_then_queued_requests_are_canceled_and_running_ones_finish()
    {
        await CreateAsync("msgbatch_1", 3, T0);
        var running = Assert.Single(await Batches.ClaimAsync(1, T0, Lease, CancellationToken.None));

        var canceling = (await Batches.CancelAsync("msgbatch_1", T0.AddSeconds(1), CancellationToken.None))!;
        Assert.Equal((BatchStatus.Canceling, T0.AddSeconds(1)), (canceling.Status, canceling.CancelInitiatedAt));
        Assert.Empty(await Batches.ClaimAsync(5, T0.AddSeconds(2), Lease, CancellationToken.None));

        Assert.Equal(0, await Batches.AdvanceAsync(T0.AddSeconds(2), CancellationToken.None));
        Assert.True(await Batches.CompleteAsync(running, BatchRequestState.Succeeded, """{"id":"msg"}""", CancellationToken.None));
        Assert.Equal(1, await Batches.AdvanceAsync(T0.AddSeconds(3), CancellationToken.None));
        var ended = (await Batches.FindAsync("msgbatch_1", CancellationToken.None))!;
        Assert.Equal((BatchStatus.Ended, 1, 2), (ended.Status, ended.Succeeded, ended.Canceled));

        // Canceling an ended batch changes nothing.
        Assert.Equal(ended, await Batches.CancelAsync("msgbatch_1", T0.AddSeconds(9), CancellationToken.None));
        Assert.Null(await Batches.CancelAsync("msgbatch_none", T0, CancellationToken.None));
    }

    [Fact]
    public async Task At_its_end_time_a_batchs_unclaimed_requests_expire_and_nothing_more_is_claimed()
    {
        await CreateAsync("msgbatch_1", 3, T0);
        var running = Assert.Single(await Batches.ClaimAsync(1, T0.AddHours(24).AddSeconds(-30), Lease, CancellationToken.None));

        Assert.Empty(await Batches.ClaimAsync(5, T0.AddHours(24), Lease, CancellationToken.None));
        Assert.Equal(0, await Batches.AdvanceAsync(T0.AddHours(24), CancellationToken.None));
        await Batches.CompleteAsync(running, BatchRequestState.Succeeded, "{}", CancellationToken.None);
        Assert.Equal(1, await Batches.AdvanceAsync(T0.AddHours(24).AddSeconds(1), CancellationToken.None));
        var ended = (await Batches.FindAsync("msgbatch_1", CancellationToken.None))!;
        Assert.Equal((BatchStatus.Ended, 1, 2), (ended.Status, ended.Succeeded, ended.Expired));
    }

    [Fact]
    public async Task Listing_is_per_key_newest_first_and_pages_with_after_id_towards_older_and_before_id_towards_newer()
    {
        for (var i = 0; i < 5; i++)
        {
            await CreateAsync($"msgbatch_{i}", 1, T0.AddMinutes(i));
        }

        await CreateAsync("msgbatch_other", 1, T0.AddMinutes(10), keyId: "key-b");
        await CreateAsync("msgbatch_open", 1, T0.AddMinutes(11), keyId: null);

        async Task<string[]> Ids(string? key, string? before, string? after, int limit) =>
            [.. (await Batches.ListAsync(key, before, after, limit, CancellationToken.None)).Select(b => b.Id)];

        Assert.Equal(["msgbatch_4", "msgbatch_3", "msgbatch_2"], await Ids("key-a", null, null, 3));
        Assert.Equal(["msgbatch_1", "msgbatch_0"], await Ids("key-a", null, "msgbatch_2", 3));
        Assert.Equal(["msgbatch_3", "msgbatch_2"], await Ids("key-a", "msgbatch_1", null, 2));
        Assert.Equal(["msgbatch_open"], await Ids(null, null, null, 10));
        Assert.Empty(await Ids("key-a", null, "msgbatch_other", 10));
        Assert.Empty(await Ids("key-a", "msgbatch_missing", null, 10));
    }

    [Fact]
    public async Task Only_an_ended_batch_is_deleted_with_its_requests_and_retention_deletes_batches_ended_before_the_cutoff()
    {
        await CreateAsync("msgbatch_running", 2, T0);
        await CreateAsync("msgbatch_old", 2, T0.AddSeconds(1));
        await CreateAsync("msgbatch_new", 2, T0.AddSeconds(2));
        await Batches.CancelAsync("msgbatch_old", T0.AddHours(1), CancellationToken.None);
        await Batches.AdvanceAsync(T0.AddHours(1), CancellationToken.None);
        await Batches.CancelAsync("msgbatch_new", T0.AddHours(5), CancellationToken.None);
        await Batches.AdvanceAsync(T0.AddHours(5), CancellationToken.None);

        Assert.False(await Batches.DeleteAsync("msgbatch_running", CancellationToken.None));
        Assert.Equal(1, await Batches.DeleteEndedBeforeAsync(T0.AddHours(3), CancellationToken.None));
        Assert.Null(await Batches.FindAsync("msgbatch_old", CancellationToken.None));
        Assert.True(await Batches.DeleteAsync("msgbatch_new", CancellationToken.None));
        Assert.False(await Batches.DeleteAsync("msgbatch_new", CancellationToken.None));
        Assert.NotNull(await Batches.FindAsync("msgbatch_running", CancellationToken.None));
        Assert.Equal(2, await CountAsync("message_batch_requests"));
    }

    [Fact]
    public async Task Resume_frees_a_gone_process_claims_on_SQLite_and_leaves_them_to_their_lease_on_PostgreSQL()
    {
        await CreateAsync("msgbatch_1", 2, T0);
        Assert.Equal(2, (await Batches.ClaimAsync(2, T0, Lease, CancellationToken.None)).Count);

        await Batches.ResumeAsync(T0.AddSeconds(1), CancellationToken.None);
        var again = await Batches.ClaimAsync(2, T0.AddSeconds(1), Lease, CancellationToken.None);
        Assert.Equal(Dialect == StoreDialect.Sqlite ? 2 : 0, again.Count);
    }

    private async Task<long> CountAsync(string table)
    {
        await using var connection = await Store.Connections.OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}");
    }
}

public sealed class SqliteBatchStoreTests() : BatchStoreTests(StoreDialect.Sqlite);

public sealed class PostgresBatchStoreTests() : BatchStoreTests(StoreDialect.PostgreSql);
