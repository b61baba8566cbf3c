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

// dotnet run -c Release --project bench/Switchboard.Benchmarks -- --translate IN... OUTDIR
//   writes the upstream Chat Completions body Switchboard makes for each Anthropic request body (comparing writers).
if (args is ["--translate", .. var files] && files.Length >= 2)
{
    using var paths = new TranslationPaths();
    foreach (var input in files[..^1])
    {
        var output = Path.Combine(files[^1], Path.GetFileName(input));
        try
        {
            File.WriteAllBytes(output, paths.WriteUpstreamBody(File.ReadAllBytes(input)));
        }
        catch (Exception failure) when (failure is Switchboard.Canonical.ApiException or System.Text.Json.JsonException)
        {
            File.WriteAllText(output, "refused: " + failure.Message);
        }
    }

    return 0;
}

// dotnet run -c Release --project bench/Switchboard.Benchmarks -- --held-memory [N]
//   managed memory each of N Claude-Code-sized requests holds while its answer streams (all held at once).
if (args is ["--held-memory", .. var heldArgs])
{
    var count = heldArgs.Length > 0 ? int.Parse(heldArgs[0], System.Globalization.CultureInfo.InvariantCulture) : 500;
    using var paths = new TranslationPaths();
    paths.HoldRequest(Fixtures.ClaudeCodeRequest).Dispose();
    var before = GC.GetTotalMemory(forceFullCollection: true);
    var held = new List<IDisposable>(count);
    for (var i = 0; i < count; i++)
    {
        held.Add(paths.HoldRequest(Fixtures.ClaudeCodeRequest));
    }

    var after = GC.GetTotalMemory(forceFullCollection: true);
    Console.WriteLine($"{count} Claude-Code-sized requests held: {(after - before) / 1024.0 / count:0.0} KiB each");
    GC.KeepAlive(held);
    held.ForEach(h => h.Dispose());
    return 0;
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
