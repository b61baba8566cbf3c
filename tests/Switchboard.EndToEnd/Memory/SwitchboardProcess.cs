using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Switchboard.EndToEnd.Fixtures;

namespace Switchboard.EndToEnd.Memory;

/// <summary>
/// Switchboard as its own process (the Release build beside the tests, started as the quickstart does), for what
/// only a process shows: its resident memory and its behaviour under a GC heap limit.
/// </summary>
internal sealed class SwitchboardProcess : IAsyncDisposable
{
    private readonly Process _process;

    private SwitchboardProcess(Process process, string baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    /// <summary>Resident set size (<c>VmRSS</c> from <c>/proc</c>), in MiB.</summary>
    public long ResidentMiB()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
            }
        }

        throw new InvalidOperationException("no VmRSS line");
    }

    public static async Task<SwitchboardProcess> StartAsync(string upstreamUrl, IReadOnlyDictionary<string, string> environment)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "Switchboard.dll"), "--upstream", upstreamUrl, "--model", "memory-model", "--port", port.ToString(CultureInfo.InvariantCulture), TestDataRoot.FreshDirectoryArg() },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Switchboard did not start");
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var started = new SwitchboardProcess(process, $"http://127.0.0.1:{port}");
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        for (var attempt = 0; attempt < 150; attempt++)
        {
            try
            {
                using var ready = await probe.GetAsync($"{started.BaseUrl}/v1/models");
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    return started;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        await started.DisposeAsync();
        throw new InvalidOperationException("Switchboard did not answer within 15 s");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
