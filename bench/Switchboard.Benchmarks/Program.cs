using BenchmarkDotNet.Running;
using Switchboard.Benchmarks;

// dotnet run -c Release --project bench/Switchboard.Benchmarks -- --check-allocations [FILE] [--update]
//   the fast in-process allocation guard (CI);
// dotnet run -c Release --project bench/Switchboard.Benchmarks -- [BenchmarkDotNet arguments, e.g. --filter '*']
//   the real numbers;
// dotnet run -c Release --project bench/Switchboard.Benchmarks -- --ledger [--postgres CONNECTION] [--batch N] [--seconds S]
//   usage-ledger rows per second into SQLite (a temporary data directory) or PostgreSQL.
if (args is ["--check-allocations", .. var rest])
{
    var update = rest.Contains("--update");
    var file = rest.FirstOrDefault(a => a != "--update") ?? FindBudgets();
    return AllocationCheck.Run(file, update);
}

if (args is ["--ledger", .. var ledgerArgs])
{
    return await LedgerThroughput.RunAsync(ledgerArgs);
}

BenchmarkSwitcher.FromAssembly(typeof(TranslationPaths).Assembly).Run(args);
return 0;

static string FindBudgets()
{
    for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
    {
        var candidate = Path.Combine(dir.FullName, "bench", "allocation-budgets.json");
        if (File.Exists(candidate))
        {
            return candidate;
        }
    }

    return Path.Combine("bench", "allocation-budgets.json");
}
