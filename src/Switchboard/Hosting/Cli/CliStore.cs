using Switchboard.Configuration;
using Switchboard.Storage;

namespace Switchboard.Hosting.Cli;

/// <summary>
/// Opens the store a command works on, from the same settings the server reads (appsettings.json, environment,
/// <c>--config</c>, then <c>--data-dir</c> / <c>--postgres</c>): the SQLite database in the data directory, or
/// PostgreSQL. Opening applies missing migrations, as the server's start does.
/// </summary>
internal static class CliStore
{
    /// <summary>The opened store, or null after writing why it could not be opened to <paramref name="error"/>.</summary>
    public static async Task<SwitchboardStore?> OpenAsync(SwitchboardOptions options, TextWriter error)
    {
        try
        {
            return await SwitchboardStore.OpenAsync(options.Storage, TimeProvider.System, CancellationToken.None);
        }
        catch (StoreUnavailableException failure)
        {
            await error.WriteLineAsync("switchboard: " + failure.Message);
            return null;
        }
    }
}
