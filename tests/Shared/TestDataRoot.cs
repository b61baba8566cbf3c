using System.Runtime.CompilerServices;

namespace Switchboard.Testing;

/// <summary>
/// Where this test run's Switchboards keep their data. Before any test runs, the user's data folder
/// (<c>XDG_DATA_HOME</c>, behind the default data directory) is pointed at a temporary folder for this process and
/// the processes it starts, so no test ever writes to <c>~/.local/share/switchboard</c>; the folder is removed when
/// the test run ends. Each started Switchboard also gets its own data directory (<see cref="FreshDirectoryArg"/>),
/// so no two share a database by accident.
/// </summary>
internal static class TestDataRoot
{
    public static string Path { get; } = Directory.CreateTempSubdirectory("switchboard-test-data-").FullName;

    /// <summary>A new empty data directory under the run's folder.</summary>
    public static string FreshDirectory() => Directory.CreateDirectory(System.IO.Path.Combine(Path, Guid.NewGuid().ToString("N"))).FullName;

    /// <summary>The configuration flag giving a Switchboard a new empty data directory.</summary>
    public static string FreshDirectoryArg() => "--Switchboard:Storage:DataDirectory=" + FreshDirectory();

    [ModuleInitializer]
    internal static void PointTheUsersDataFolderAway()
    {
        Environment.SetEnvironmentVariable("XDG_DATA_HOME", System.IO.Path.Combine(Path, "xdg-data-home"));
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        };
    }
}
