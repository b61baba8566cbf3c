using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Switchboard.Hosting;
using Switchboard.Telemetry;

namespace Switchboard.EndToEnd;

/// <summary>
/// The built program as a user runs it: exit codes, what reaches stdout and stderr, and the working directory's
/// appsettings.json. Each test runs in a fresh temporary directory.
/// </summary>
public sealed class ProcessTests : IDisposable
{
    private static readonly string Program = Path.Combine(AppContext.BaseDirectory, "Switchboard.dll");

    private readonly string _directory = Directory.CreateTempSubdirectory("switchboard-run-").FullName;

    private Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = _directory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Program);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // The default data directory, in this test's own folder.
        start.Environment["XDG_DATA_HOME"] = Path.Combine(_directory, "data-home");
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        return Process.Start(start)!;
    }

    private async Task<(int ExitCode, string Out, string Error)> RunAsync(params string[] args)
    {
        using var process = Start(args);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    [Theory]
    [InlineData("--port abc", "switchboard: --port: 'abc' is not a port number (0-65535; 0 picks a free port)")]
    [InlineData("--modle x", "switchboard: unknown flag '--modle' (did you mean '--model'?) (see --help; configuration keys are given as --Section:Key=value)")]
    [InlineData("--upstream http://127.0.0.1:8000/v1 --model m --Switchboard:Upstreams:default:TimeoutSeconds=ten", "switchboard: Switchboard:Upstreams:default:TimeoutSeconds: 'ten' is not a number")]
    public async Task A_mistake_exits_with_code_2_and_one_plain_line(string args, string expected)
    {
        var (exitCode, output, error) = await RunAsync(args.Split(' '));

        Assert.Equal((2, expected + Environment.NewLine, ""), (exitCode, error, output));
    }

    [Fact]
    public async Task A_relative_config_file_is_looked_for_in_the_working_directory()
    {
        var (exitCode, _, error) = await RunAsync("--config", "mine.json");

        Assert.Equal((2, $"switchboard: --config: configuration file not found: {Path.Combine(_directory, "mine.json")}{Environment.NewLine}"), (exitCode, error));
    }

    [Fact]
    public async Task A_port_in_use_is_one_line()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var (exitCode, output, error) = await RunAsync("--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--Logging:LogLevel:Default=None");

        Assert.Equal((2, $"switchboard: cannot listen on port {port}: it is already in use (or not permitted); pick another with --port N{Environment.NewLine}"), (exitCode, error));
        Assert.DoesNotContain(" at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_and_version_print_and_exit()
    {
        var help = await RunAsync("--help");
        var version = await RunAsync("--version");

        Assert.Equal(0, help.ExitCode);
        Assert.Contains("--upstream URL", help.Out, StringComparison.Ordinal);
        Assert.Contains("docs/CONFIGURATION.md", help.Out, StringComparison.Ordinal);
        Assert.Equal((0, "Switchboard 0.8.0" + Environment.NewLine), (version.ExitCode, version.Out));
        Assert.Equal("0.8.0", ProductVersion.Value);
    }

    [Fact]
    public async Task Appsettings_in_the_working_directory_set_json_logs_and_the_server_answers_with_its_version()
    {
        await File.WriteAllTextAsync(Path.Combine(_directory, "appsettings.json"),
            """{ "Logging": { "Console": { "FormatterName": "json" } }, "Switchboard": { "Port": 0 } }""");
        using var process = Start();
        try
        {
            string? url = null;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (url is null && await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                using var entry = JsonDocument.Parse(line);
                var message = entry.RootElement.GetProperty("Message").GetString()!;
                if (message.StartsWith("Switchboard 0.8.0 listening on ", StringComparison.Ordinal))
                {
                    url = message["Switchboard 0.8.0 listening on ".Length..].Split(' ')[0];
                }
            }

            Assert.NotNull(url);
            using var http = new HttpClient { BaseAddress = new Uri(url) };
            Assert.Equal("""{"status":"ok","version":"0.8.0"}""", await http.GetStringAsync("/healthz"));
            using var crossSite = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
            crossSite.Headers.Host = "attacker.example";
            using var refused = await http.SendAsync(crossSite);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
