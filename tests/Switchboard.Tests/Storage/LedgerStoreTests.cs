using Switchboard.Storage;
using Switchboard.Tenancy;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Storage;

public abstract class LedgerStoreTests(StoreDialect dialect) : StoreTestBase(dialect)
{
    private static readonly DateTimeOffset Day1 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static UsageRow Row(string requestId, DateTimeOffset time, string? keyId = "key-a", string? model = "qwen3", long cost = 100) => new()
    {
        Time = time,
        RequestId = requestId,
        KeyId = keyId,
        FrontDoor = "anthropic",
        Model = model,
        Upstream = "vllm",
        UpstreamModel = "Qwen/Qwen3-8B",
        Status = 200,
        InputTokens = 10,
        CacheReadTokens = 3,
        CacheWriteTokens = 2,
        OutputTokens = 5,
        ReasoningTokens = 1,
        CostMicros = cost,
        TimeToFirstTokenMs = 12.5,
        DurationMs = 80.25,
        OverheadUs = 42,
    };

    [Fact]
    public async Task Recent_returns_the_rows_as_written_newest_first_and_per_key()
    {
        var failed = Row("req-2", Day1.AddHours(2), keyId: null, model: null) with
        {
            FrontDoor = "openai-chat", Status = 502, ErrorKind = "BadGateway", Upstream = null, UpstreamModel = null, TimeToFirstTokenMs = null,
        };
        await Store.Ledger.AppendAsync([Row("req-1", Day1.AddHours(1)), failed, Row("req-3", Day1.AddHours(3), keyId: "key-b")], CancellationToken.None);

        var all = await Store.Ledger.RecentAsync(null, 10, CancellationToken.None);
        Assert.Equal(["req-3", "req-2", "req-1"], all.Select(r => r.RequestId));
        Assert.Equal(Row("req-1", Day1.AddHours(1)), all[2]);
        Assert.Equal(failed, all[1]);

        Assert.Equal(["req-3"], (await Store.Ledger.RecentAsync("key-b", 10, CancellationToken.None)).Select(r => r.RequestId));
        Assert.Equal(["req-3", "req-2"], (await Store.Ledger.RecentAsync(null, 2, CancellationToken.None)).Select(r => r.RequestId));
    }

    [Fact]
    public async Task Upstream_attempts_are_stored_with_their_row_and_read_back_in_order()
    {
        var failedOver = Row("req-a", Day1.AddHours(1)) with
        {
            Upstream = "r1",
            Attempts = [new UsageAttempt("r0", "overloaded", 503, 12.5), new UsageAttempt("r1", "ok", 200, 40.125)],
        };
        var refused = Row("req-b", Day1.AddHours(2)) with { Status = 502, Attempts = [new UsageAttempt("r0", "refused", null, 0.75)] };
        var none = Row("req-c", Day1.AddHours(3)) with { Status = 429, ErrorKind = "RateLimit", Upstream = null };
        await Store.Ledger.AppendAsync([failedOver, refused, none], CancellationToken.None);

        var rows = (await Store.Ledger.RecentAsync(null, 10, CancellationToken.None)).ToDictionary(r => r.RequestId);
        Assert.Equal(failedOver.Attempts, rows["req-a"].Attempts);
        Assert.Equal(refused.Attempts, rows["req-b"].Attempts);
        Assert.Null(rows["req-c"].Attempts);
        Assert.Equal(failedOver with { Attempts = null }, rows["req-a"] with { Attempts = null });
    }

    [Fact]
    public async Task A_replayed_batch_is_stored_and_counted_once()
    {
        UsageRow[] batch = [Row("r1", Day1.AddHours(1)), Row("r2", Day1.AddHours(2)), Row("r2", Day1.AddHours(2))];
        await Store.Ledger.AppendAsync(batch, CancellationToken.None);
        await Store.Ledger.AppendAsync([.. batch, Row("r3", Day1.AddHours(3))], CancellationToken.None);

        var total = Assert.Single(await Store.Ledger.SummarizeAsync(new UsageQuery(UsageGrouping.Key), CancellationToken.None));
        Assert.Equal(new UsageTotal("key-a", 3, 30, 9, 6, 15, 3, 300), total);
        Assert.Equal(3, (await Store.Ledger.RecentAsync(null, 100, CancellationToken.None)).Count);
        Assert.Equal(300, await Store.Ledger.SpentMicrosAsync("key-a", Day1, CancellationToken.None));
    }

    [Fact]
    public async Task Overlapping_batches_appended_at_once_from_two_stores_count_every_request_once()
    {
        await using var other = await Storage.OpenAsync();
        var rows = Enumerable.Range(0, 400).Select(i => Row("c" + i, Day1.AddSeconds(i), cost: 1)).ToArray();

        // Each store appends every row, in batches of 50, in opposite orders.
        var forward = Task.Run(async () =>
        {
            foreach (var chunk in rows.Chunk(50))
            {
                await Store.Ledger.AppendAsync(chunk, CancellationToken.None);
            }
        });
        var backward = Task.Run(async () =>
        {
            foreach (var chunk in rows.Reverse().Chunk(50))
            {
                await other.Ledger.AppendAsync(chunk, CancellationToken.None);
            }
        });
        await Task.WhenAll(forward, backward);

        var total = Assert.Single(await Store.Ledger.SummarizeAsync(new UsageQuery(UsageGrouping.Day), CancellationToken.None));
        Assert.Equal(new UsageTotal("2026-03-01", 400, 4000, 1200, 800, 2000, 400, 400), total);
    }

    [Fact]
    public async Task Totals_group_by_key_model_and_day_for_one_key_and_a_day_range()
    {
        await Store.Ledger.AppendAsync(
        [
            Row("a1", Day1.AddHours(1), "key-a", "qwen3", 100),
            Row("a2", Day1.AddDays(1).AddHours(1), "key-a", "gpt-oss", 200),
            Row("a3", Day1.AddDays(2).AddHours(23), "key-a", "qwen3", 400),
            Row("b1", Day1.AddDays(1).AddHours(5), "key-b", "qwen3", 800),
            Row("n1", Day1.AddDays(1).AddHours(6), null, null, 1600),
        ], CancellationToken.None);

        var byKey = await Store.Ledger.SummarizeAsync(new UsageQuery(UsageGrouping.Key), CancellationToken.None);
        Assert.Equal([("", 1600L), ("key-a", 700L), ("key-b", 800L)], byKey.Select(t => (t.Group, t.CostMicros)));

        var byModel = await Store.Ledger.SummarizeAsync(new UsageQuery(UsageGrouping.Model, KeyId: "key-a"), CancellationToken.None);
        Assert.Equal([("gpt-oss", 1L, 200L), ("qwen3", 2L, 500L)], byModel.Select(t => (t.Group, t.Requests, t.CostMicros)));

        var byDay = await Store.Ledger.SummarizeAsync(new UsageQuery(UsageGrouping.Day, From: Day1.AddDays(1), To: Day1.AddDays(2)), CancellationToken.None);
        Assert.Equal([("2026-03-02", 3L, 2600L)], byDay.Select(t => (t.Group, t.Requests, t.CostMicros)));
    }

    [Fact]
    public async Task A_range_cutting_through_a_day_is_summed_exactly_from_the_rows()
    {
        await Store.Ledger.AppendAsync(
            [Row("early", Day1.AddHours(1), cost: 1), Row("middle", Day1.AddHours(12), cost: 10), Row("late", Day1.AddHours(23), cost: 100)],
            CancellationToken.None);

        var middle = await Store.Ledger.SummarizeAsync(
            new UsageQuery(UsageGrouping.Day, From: Day1.AddHours(6), To: Day1.AddHours(18)), CancellationToken.None);
        Assert.Equal([("2026-03-01", 1L, 10L)], middle.Select(t => (t.Group, t.Requests, t.CostMicros)));

        var fromNoon = await Store.Ledger.SummarizeAsync(new UsageQuery(UsageGrouping.Model, From: Day1.AddHours(12)), CancellationToken.None);
        Assert.Equal([("qwen3", 2L, 110L)], fromNoon.Select(t => (t.Group, t.Requests, t.CostMicros)));
    }

    [Fact]
    public async Task Spent_sums_a_keys_cost_from_a_day_on()
    {
        await Store.Ledger.AppendAsync(
        [
            Row("s1", Day1.AddDays(-1).AddHours(23), cost: 1_000),
            Row("s2", Day1.AddHours(1), cost: 20),
            Row("s3", Day1.AddDays(3), cost: 300),
            Row("s4", Day1.AddHours(2), keyId: "key-b", cost: 50_000),
        ], CancellationToken.None);

        Assert.Equal(320, await Store.Ledger.SpentMicrosAsync("key-a", Day1, CancellationToken.None));
        Assert.Equal(1_320, await Store.Ledger.SpentMicrosAsync("key-a", DateTimeOffset.UnixEpoch, CancellationToken.None));
        Assert.Equal(0, await Store.Ledger.SpentMicrosAsync("key-c", Day1, CancellationToken.None));
    }

    [Fact]
    public async Task Deleting_old_rows_goes_in_batches_and_keeps_the_daily_totals()
    {
        var old = Enumerable.Range(0, SqlUsageLedgerStore.DeleteBatch + 7).Select(i => Row("old" + i, Day1.AddMilliseconds(i), cost: 1));
        await Store.Ledger.AppendAsync([.. old, Row("new", Day1.AddDays(10), cost: 1)], CancellationToken.None);

        var deleted = await Store.Ledger.DeleteOlderThanAsync(Day1.AddDays(1), CancellationToken.None);

        Assert.Equal(SqlUsageLedgerStore.DeleteBatch + 7, deleted);
        Assert.Equal(["new"], (await Store.Ledger.RecentAsync(null, 100, CancellationToken.None)).Select(r => r.RequestId));
        var total = Assert.Single(await Store.Ledger.SummarizeAsync(new UsageQuery(UsageGrouping.Key), CancellationToken.None));
        Assert.Equal(SqlUsageLedgerStore.DeleteBatch + 8, total.Requests);
        Assert.Equal(SqlUsageLedgerStore.DeleteBatch + 8, await Store.Ledger.SpentMicrosAsync("key-a", Day1, CancellationToken.None));
        Assert.Equal(0, await Store.Ledger.DeleteOlderThanAsync(Day1.AddDays(1), CancellationToken.None));
    }
}

public sealed class SqliteLedgerStoreTests() : LedgerStoreTests(StoreDialect.Sqlite);

public sealed class PostgresLedgerStoreTests() : LedgerStoreTests(StoreDialect.PostgreSql);
