using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Switchboard.Benchmarks;

/// <summary>
/// The CI guard on allocations: runs each benchmarked operation in-process, measures managed bytes allocated per
/// operation with <see cref="GC.GetAllocatedBytesForCurrentThread"/>, and fails when any exceeds its budget in
/// <c>bench/allocation-budgets.json</c>. Takes a couple of seconds where a BenchmarkDotNet run takes minutes.
/// </summary>
public static class AllocationCheck
{
    /// <summary>Headroom written by <c>--update</c>: a recorded figure plus this share, rounded up to 64 bytes.</summary>
    private const double Headroom = 0.05;
    private const int Iterations = 200;

    public static int Run(string budgetsPath, bool update)
    {
        using var paths = new TranslationPaths();
        var admission = new AdmissionBenchmarks();
        admission.Setup();
        using var telemetry = new TelemetryBenchmarks();
        telemetry.Setup();
        var requestLog = new RequestLogBenchmarks();
        var cases = new (string Name, Func<int> Operation)[]
        {
            ("RequestTranslationBenchmarks.SmallRequest", () => paths.TranslateRequest(Fixtures.SmallRequest)),
            ("RequestTranslationBenchmarks.ClaudeCodeRequest", () => paths.TranslateRequest(Fixtures.ClaudeCodeRequest)),
            ("RequestTranslationBenchmarks.ClaudeCodeRequestFirstTurn", () =>
            {
                Switchboard.Egress.OpenAIChat.ChatToolsWriter.Cache.Clear();
                return paths.TranslateRequest(Fixtures.ClaudeCodeRequest);
            }),
            ("RequestTranslationBenchmarks.ClaudeCodeRequestEndToEnd", () => paths.TranslateRequestEndToEnd(Fixtures.ClaudeCodeRequest)),
            ("ResponseTranslationBenchmarks.Completion", paths.TranslateResponse),
            ("StreamTranslationBenchmarks.OneChunk", paths.TranslateChunk),
            ("StreamTranslationBenchmarks.WholeStream300Tokens", () => Synchronously(paths.TranslateStreamAsync())),
            ("ResponseTranslationBenchmarks.ChatCompletion", paths.TranslateChatResponse),
            ("StreamTranslationBenchmarks.ChatWholeStream300Tokens", () => Synchronously(paths.TranslateChatStreamAsync())),
            ("AdmissionBenchmarks.StaticKey", admission.StaticKey),
            ("AdmissionBenchmarks.LimitedKey_SmallRequest", admission.LimitedKey_SmallRequest),
            ("TelemetryBenchmarks.MetricsOn", telemetry.MetricsOn),
            ("TelemetryBenchmarks.RequestSpan", telemetry.RequestSpan),
            ("RequestLogBenchmarks.OnePass", requestLog.OnePass),
        };

        var budgets = File.Exists(budgetsPath) ? JsonNode.Parse(File.ReadAllText(budgetsPath))!.AsObject() : new JsonObject();
        var limits = budgets["budgets"] as JsonObject ?? [];
        var failures = 0;
        var updated = new JsonObject();
        Console.WriteLine($"{"operation",-52} {"bytes/op",10} {"budget",10} {"cpu µs/op",10}");
        foreach (var (name, operation) in cases)
        {
            var (measured, cpuMicroseconds) = Measure(operation);
            var budget = limits[name]?.GetValue<long>();
            var verdict = budget switch
            {
                null => "no budget",
                _ when measured > budget => "OVER BUDGET",
                _ when measured < budget * 0.8 => "ok (well under: tighten with --update)",
                _ => "ok",
            };
            if (budget is null || measured > budget)
            {
                failures++;
            }

            Console.WriteLine($"{name,-52} {measured,10} {budget?.ToString(CultureInfo.InvariantCulture) ?? "-",10} {cpuMicroseconds,10:0.00}  {verdict}");
            updated[name] = (long)(Math.Ceiling(measured * (1 + Headroom) / 64) * 64);
        }

        if (update)
        {
            budgets["budgets"] = updated;
            File.WriteAllText(budgetsPath, budgets.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
            Console.WriteLine($"Budgets written to {budgetsPath}");
            return 0;
        }

        Console.WriteLine(failures == 0
            ? "Allocation check passed."
            : $"Allocation check failed: {failures} operation(s) over or without a budget. If the growth is intended, run with --update and commit the file.");
        return failures == 0 ? 0 : 1;
    }

    /// <summary>
    /// Bytes per operation after warm-up: the smallest of three rounds, so a one-off (a lazily built cache, a
    /// tier-up in the middle of a round) does not count against the code. Also the process CPU time per operation
    /// (GC included), a rough figure that, unlike wall time, holds up on a busy machine.
    /// </summary>
    private static (long Bytes, double CpuMicroseconds) Measure(Func<int> operation)
    {
        for (var warm = 0; warm < 3; warm++)
        {
            for (var i = 0; i < 100; i++)
            {
                operation();
            }

            // Let the background JIT promote hot methods, so measured code is the code a busy server runs.
            Thread.Sleep(150);
        }

        var best = long.MaxValue;
        var bestCpu = double.MaxValue;
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        for (var round = 0; round < 3; round++)
        {
            // At least Iterations operations and a quarter second: CPU time is counted in clock ticks.
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var before = GC.GetAllocatedBytesForCurrentThread();
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var count = 0;
            do
            {
                for (var i = 0; i < Iterations; i++)
                {
                    operation();
                }

                count += Iterations;
            }
            while (System.Diagnostics.Stopwatch.GetElapsedTime(started) < TimeSpan.FromMilliseconds(250));

            best = Math.Min(best, (GC.GetAllocatedBytesForCurrentThread() - before) / count);
            process.Refresh();
            bestCpu = Math.Min(bestCpu, (process.TotalProcessorTime - cpuBefore).TotalMicroseconds / count);
        }

        return (best, bestCpu);
    }

    /// <summary>The stream path reads a memory stream, so it completes without yielding; on this thread, as measured.</summary>
    private static int Synchronously(Task<int> task) =>
        task.IsCompleted ? task.GetAwaiter().GetResult() : throw new InvalidOperationException("The operation yielded; allocations on other threads would go unmeasured.");
}
