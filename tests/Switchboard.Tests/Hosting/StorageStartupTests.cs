using System.Net;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Switchboard.Hosting;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Hosting;

/// <summary>The store at start-up: created silently by default, and a plain line (exit code 2) when it cannot be opened.</summary>
public sealed class StorageStartupTests
{
    [Fact]
    public async Task With_no_configuration_an_empty_store_is_created_in_the_users_data_folder()
    {
        // The test run points XDG_DATA_HOME (the user's data folder) at a temporary folder: see TestDataRoot.
        var expected = Path.Combine(Environment.GetEnvironmentVariable("XDG_DATA_HOME")!, "switchboard", "switchboard.db");
        Assert.StartsWith(TestDataRoot.Path, expected, StringComparison.Ordinal);

        await using (var app = SwitchboardApp.Create(["--port", "0", "--Logging:LogLevel:Default=None"]))
        {
            Assert.True(File.Exists(expected));
        }

        await using var connection = new SqliteConnection($"Data Source={expected};Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM api_keys";
        Assert.Equal(0L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_data_directory_that_cannot_be_created_is_one_plain_line()
    {
        using var folder = new TempDirectory();
        var file = Path.Combine(folder.Path, "a-file");
        await File.WriteAllTextAsync(file, "not a directory");

        var (exitCode, error) = await RunAsync("--Switchboard:Storage:DataDirectory=" + Path.Combine(file, "data"));

        Assert.Equal(2, exitCode);
        Assert.StartsWith($"switchboard: Switchboard:Storage:DataDirectory: cannot create the data directory {Path.Combine(file, "data")}: ", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task An_unreachable_postgresql_is_one_plain_line_without_the_password()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var (exitCode, error) = await RunAsync(
            $"--Switchboard:Storage:PostgreSql=Host=127.0.0.1;Port={port};Database=switchboard;Username=sb;Password=hunter2;Timeout=3");

        Assert.Equal(2, exitCode);
        Assert.StartsWith($"switchboard: Switchboard:Storage:PostgreSql: cannot open the store (PostgreSQL database 'switchboard' on 127.0.0.1:{port}): ", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.DoesNotContain("hunter2", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_postgresql_connection_string_is_one_plain_line()
    {
        var (exitCode, error) = await RunAsync("--Switchboard:Storage:PostgreSql=Host=127.0.0.1;Bogus Keyword=1");

        Assert.Equal(2, exitCode);
        Assert.StartsWith("switchboard: Switchboard:Storage:PostgreSql: not a valid PostgreSQL connection string: ", error, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await SwitchboardProgram.RunAsync(["--port", "0", "--Logging:LogLevel:Default=None", .. args], output, error);
        return (exitCode, error.ToString());
    }
}
