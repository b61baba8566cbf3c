using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;

namespace Switchboard.EndToEnd.Reload;

/// <summary>
/// Tests that send a signal to the test process run alone: every Switchboard started in the process hears it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SignalSensitive
{
    public const string Name = "signal-sensitive";
}

/// <summary>SIGHUP reloads the configuration (systemd's <c>ExecReload=/bin/kill -HUP $MAINPID</c>).</summary>
[Collection(SignalSensitive.Name)]
public sealed class SignalReloadTests
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task SIGHUP_reloads_the_file()
    {
        // A process started with SIGHUP ignored (nohup) keeps it ignored, as nohup asks: there is nothing to test.
        if (OperatingSystem.IsWindows() || HangupIgnored())
        {
            return;
        }

        static void NoWatch(JsonObject section) => section["Reload"] = new JsonObject { ["WatchFiles"] = false };
        await using var host = await ReloadHost.StartAsync(1, s => ReloadHost.Config(s, ["s0"], [("alpha", ["s0"])], NoWatch));
        await host.ReplaceAsync(ReloadHost.Config(host.Servers, ["s0"], [("alpha", ["s0"]), ("delta", ["s0"])], NoWatch));

        // Not watched: nothing happens until the signal.
        await Task.Delay(1500);
        Assert.Equal(HttpStatusCode.NotFound, (await host.AskAsync("delta", "before-signal")).Status);

        using (var kill = Process.Start(new ProcessStartInfo("kill", ["-HUP", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)])))
        {
            await kill!.WaitForExitAsync();
            Assert.Equal(0, kill.ExitCode);
        }

        try
        {
            await ReloadHost.WaitUntilAsync(async () => (await host.AskAsync("delta", "after-signal")).Status == HttpStatusCode.OK, Bounded);
        }
        catch (TimeoutException)
        {
            // What the process logged says whether the signal arrived and what the reload made of it.
            Assert.Fail("no reload after SIGHUP; log: " + string.Join(" | ", host.Logs.Lines.Select(l => l.Message)));
        }

        Assert.Contains(host.Logs.Lines, l => l.Message == "Configuration reloaded (signal): models added [delta]");
        Assert.Equal("signal", (await host.ConfigStatusAsync()).GetProperty("last_reload").GetProperty("trigger").GetString());
    }

    /// <summary>Whether this process inherited SIGHUP as ignored (bit 0 of <c>SigIgn</c> in /proc/self/status).</summary>
    private static bool HangupIgnored()
    {
        if (!File.Exists("/proc/self/status"))
        {
            return false;
        }

        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null && (ulong.Parse(line["SigIgn:".Length..].Trim(), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture) & 1) != 0;
    }
}
