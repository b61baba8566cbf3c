using System.Diagnostics;
using Switchboard.Configuration;
using Switchboard.Storage;
using Switchboard.Tenancy;

namespace Switchboard.Benchmarks;

/// <summary>
/// How many usage-ledger rows per second the store takes, appended in batches as the ledger writer does (each batch
/// one transaction with its daily totals). A timed loop, not a BenchmarkDotNet run: the number that matters is
/// sustained rows/s against a real database file or server.
/// <code>
/// dotnet run -c Release --project bench/Switchboard.Benchmarks -- --ledger [--postgres CONNECTION] [--batch N] [--seconds S]
/// </code>
/// Without --postgres: SQLite in a temporary data directory (deleted after).
/// </summary>
internal static class LedgerThroughput
{
    private static readonly string[] Keys = ["key000000001", "key000000002", "key000000003", "key000000004", null!];

    private static readonly string[] Models = ["qwen3", "gpt-oss-120b", "minimax-m2"];

    public static async Task<int> RunAsync(string[] args)
    {
        var postgres = Option(args, "--postgres");
        var batch = int.Parse(Option(args, "--batch") ?? "500", System.Globalization.CultureInfo.InvariantCulture);
        var seconds = double.Parse(Option(args, "--seconds") ?? "5", System.Globalization.CultureInfo.InvariantCulture);
        var directory = postgres is null ? Directory.CreateTempSubdirectory("switchboard-ledger-bench-").FullName : null;
        try
        {
            await using var store = await SwitchboardStore.OpenAsync(
                new StorageOptions { PostgreSql = postgres, DataDirectory = directory }, TimeProvider.System, CancellationToken.None);
            var start = DateTimeOffset.UtcNow;
            long written = 0;

            // Warm-up: connections, prepared statements, the first rollup rows.
            await store.Ledger.AppendAsync(Rows(start, 0, batch), CancellationToken.None);
            written += batch;

            var clock = Stopwatch.StartNew();
            var batches = 0;
            var rowsTimed = 0L;
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                await store.Ledger.AppendAsync(Rows(start, written, batch), CancellationToken.None);
                written += batch;
                rowsTimed += batch;
                batches++;
            }

            clock.Stop();
            var total = await store.Ledger.SummarizeAsync(new UsageQuery(UsageGrouping.Day), CancellationToken.None);
            Console.WriteLine($"{store.Connections.Dialect}: {rowsTimed:N0} rows in {batches:N0} batches of {batch} in {clock.Elapsed.TotalSeconds:F2} s "
                + $"= {rowsTimed / clock.Elapsed.TotalSeconds:N0} rows/s ({clock.Elapsed.TotalMilliseconds / batches:F2} ms per batch); "
                + $"daily totals count {total.Sum(t => t.Requests):N0} requests");
            return total.Sum(t => t.Requests) == written ? 0 : 1;
        }
        finally
        {
            if (directory is not null)
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private static UsageRow[] Rows(DateTimeOffset start, long first, int count)
    {
        var rows = new UsageRow[count];
        for (var i = 0; i < count; i++)
        {
            var n = first + i;
            rows[i] = new UsageRow
            {
                Time = start.AddMilliseconds(n / 12),
                RequestId = "req_" + n.ToString("D12", System.Globalization.CultureInfo.InvariantCulture),
                KeyId = Keys[n % Keys.Length],
                FrontDoor = n % 3 == 0 ? "openai-chat" : "anthropic",
                Model = Models[n % Models.Length],
                Upstream = "vllm",
                UpstreamModel = "Qwen/Qwen3-8B",
                Status = 200,
                InputTokens = 1_200 + (n % 500),
                CacheReadTokens = 800,
                OutputTokens = 150 + (n % 90),
                ReasoningTokens = 40,
                CostMicros = 90 + (n % 13),
                TimeToFirstTokenMs = 35.5,
                DurationMs = 820.25,
                OverheadUs = 18,
            };
        }

        return rows;
    }

    private static string? Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
