using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Switchboard.EndToEnd.Fixtures;

namespace Switchboard.EndToEnd.Hostile;

/// <summary>Switchboard as its own process (the apphost built beside the tests), for signals and exit behaviour.</summary>
internal sealed class SwitchboardProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SwitchboardProcess(Process process, string baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<SwitchboardProcess> StartAsync(IEnumerable<string> args)
    {
        int port = FreePort();
        var info = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "Switchboard.exe" : "Switchboard"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        // Its own data directory, unless the test chose the store.
        args = [.. args];
        var store = args.Any(a => a.Contains(":Storage:", StringComparison.OrdinalIgnoreCase)) ? [] : new[] { TestDataRoot.FreshDirectoryArg() };
        foreach (var arg in args.Concat(["--port", port.ToString(), "--host", "127.0.0.1", .. store]))
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info)!;
        var started = new SwitchboardProcess(process, $"http://127.0.0.1:{port}");
        process.OutputDataReceived += (_, e) => started.Append(e.Data);
        process.ErrorDataReceived += (_, e) => started.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = new Uri(started.BaseUrl), Timeout = TimeSpan.FromSeconds(2) };
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var response = await http.GetAsync("/healthz");
                if (response.IsSuccessStatusCode)
                {
                    return started;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or (on a busy machine) still too slow to answer its first request in time.
            }

            if (process.HasExited || DateTime.UtcNow > until)
            {
                await started.DisposeAsync();
                throw new InvalidOperationException("Switchboard did not start:\n" + started.Output);
            }

            await Task.Delay(100);
        }
    }

    /// <summary>SIGTERM, as a container runtime or systemd sends it.</summary>
    public void Terminate()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString()]) { UseShellExecute = false })!;
        kill.WaitForExit();
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
