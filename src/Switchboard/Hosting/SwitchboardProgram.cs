using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Switchboard.Configuration;
using Switchboard.Telemetry;

namespace Switchboard.Hosting;

/// <summary>
/// The program's entry: <c>--help</c>, <c>--version</c>, and a run whose start-up mistakes (flags, files, settings,
/// a port in use) end as plain lines on stderr and exit code 2, never as a stack trace.
/// </summary>
public static class SwitchboardProgram
{
    /// <summary>A usage or configuration mistake: nothing was started.</summary>
    public const int ConfigurationError = 2;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        if (Cli.CliProgram.Handles(args))
        {
            return await Cli.CliProgram.RunAsync(args, output, error);
        }

        CommandLine commandLine;
        try
        {
            commandLine = CommandLine.Parse(args);
        }
        catch (SwitchboardConfigurationException problems)
        {
            return Fail(error, problems.Problems);
        }

        if (commandLine.Help)
        {
            await output.WriteLineAsync(CommandLine.Usage);
            return 0;
        }

        if (commandLine.Version)
        {
            await output.WriteLineAsync("Switchboard " + ProductVersion.Value);
            return 0;
        }

        WebApplication app;
        try
        {
            app = SwitchboardApp.Create(args);
        }
        catch (SwitchboardConfigurationException problems)
        {
            return Fail(error, problems.Problems);
        }

        await using (app)
        {
            // Checked before the host starts: a failed bind inside it is also logged by the host with a stack trace.
            var options = app.Services.GetRequiredService<SwitchboardOptions>();
            if (PortTaken(SwitchboardApp.ListenAddress(options)))
            {
                return Fail(error, [PortInUse(options)]);
            }

            try
            {
                await app.StartAsync();
            }
            catch (Exception failure) when (failure is AddressInUseException || (failure is IOException && failure.InnerException is AddressInUseException or SocketException))
            {
                return Fail(error, [PortInUse(options)]);
            }

            await app.WaitForShutdownAsync();
        }

        return 0;
    }

    private static string PortInUse(SwitchboardOptions options) =>
        $"cannot listen on port {options.Port}: it is already in use (or not permitted); pick another with --port N";

    private static bool PortTaken(System.Net.IPEndPoint endpoint)
    {
        if (endpoint.Port == 0)
        {
            return false;
        }

        using var probe = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            probe.Bind(endpoint);
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    private static int Fail(TextWriter error, IReadOnlyList<string> problems)
    {
        foreach (var problem in problems)
        {
            error.WriteLine("switchboard: " + problem);
        }

        return ConfigurationError;
    }
}
